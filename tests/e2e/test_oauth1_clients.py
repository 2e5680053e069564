"""OAuth 1.0a's three-legged handshake against the real server, driven by mwoauth (the library
pywikibot and Toolforge tools use): Handshaker.initiate() on index.php?title=Special:OAuth/initiate,
the user's consent on Special:OAuth/authenticate with a requests.Session logged in through api.php's
clientlogin playing the browser, complete() on Special:OAuth/token and identify()'s JWT from
Special:OAuth/identify; the access token then signs api.php requests (requests_oauthlib's OAuth1) as
the user who consented.

The consumer is registered and approved with the CLI against the running server's database, as an
administrator of a wiki would with Special:OAuthConsumerRegistration and Special:OAuthManageConsumers.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import mwoauth
import pytest
import requests
from e2e_support import RequestTrace, WikiServer, accept_consent, browser_session
from requests_oauthlib import OAuth1

pytestmark = pytest.mark.e2e

# Never fetched: the consent step's 302 is read, not followed, so nothing has to listen here.
CALLBACK = "http://127.0.0.1:9/oauth1-callback"
GRANTS = "editpage,createeditmovepage"


def _register(wiki: WikiServer, name: str) -> dict[str, Any]:
    """An OAuth 1.0a consumer owned by Admin (so that Alice uses someone else's application),
    proposed and then approved."""
    consumer: dict[str, Any] = json.loads(wiki.cli(
        "oauth", "consumer", "create", name, "--owner", "Admin", "--oauth-version", "1", "--grants", GRANTS,
        "--callback", CALLBACK, "--json"))
    assert consumer["oauth_version"] == 1 and consumer["stage"] == "proposed", consumer
    wiki.cli("oauth", "consumer", "approve", consumer["client_id"])
    return consumer


def _consent(browser: requests.Session, trace: RequestTrace, authorize_url: str, user: str) -> str:
    """Accept on the consent page; the consumer's callback it sends the browser to."""
    form = accept_consent(browser, trace, authorize_url, user, CALLBACK)
    # OAuth 1.0a's consent page posts back to index.php, naming its special page.
    assert "title" in form.hidden and urlsplit(form.action or "").path == "/w/index.php", (form.action, form.hidden)
    return form.location


def test_mwoauth_three_legged_handshake_identifies_alice_and_the_access_token_acts_as_alice(
        wiki: WikiServer) -> None:
    consumer = _register(wiki, "e2e mwoauth")
    index = f"{wiki.base}/w/index.php"
    consumer_token = mwoauth.ConsumerToken(consumer["client_id"], consumer["client_secret"])
    # mwoauth sends its requests with requests.post itself: the trace only sees the browser's, and
    # a failing handshake step is named by the step and mwoauth's message (the server's "Error: …").
    trace = RequestTrace("mwoauth")
    handshaker = mwoauth.Handshaker(index, consumer_token, user_agent="wikigate-e2e (mwoauth)")

    with trace.step("Handshaker.initiate() (POST Special:OAuth/initiate, oauth_callback=oob)"):
        authorize_url, request_token = handshaker.initiate()
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["title"] == ["Special:OAuth/authenticate"], authorize_url
    assert query["oauth_token"] == [request_token.key] and query["oauth_consumer_key"] == [consumer["client_id"]]

    browser = browser_session(wiki, RequestTrace("requests"), "Alice")
    location = _consent(browser, trace, authorize_url, "Alice")
    returned = urlsplit(location).query
    answer = parse_qs(returned)
    assert answer["oauth_token"] == [request_token.key] and answer["oauth_verifier"], location

    with trace.step("Handshaker.complete(request_token, query) (POST Special:OAuth/token)"):
        access_token = handshaker.complete(request_token, returned)
    assert access_token.key and access_token.secret and access_token.key != request_token.key

    # identify() checks the JWT's HS256 signature with the consumer secret, its audience (the
    # consumer key), issuer (the wiki's host), iat and the nonce of its own request.
    with trace.step("Handshaker.identify(access_token) (POST Special:OAuth/identify)"):
        identity = handshaker.identify(access_token)
    assert identity["username"] == "Alice", identity
    assert identity["aud"] == consumer["client_id"] and identity["blocked"] is False, identity
    assert set(GRANTS.split(",")) <= set(identity["grants"]), identity
    assert "edit" in identity["rights"] and "user" in identity["groups"], identity

    # The request token was used up by the exchange. (Sent by hand: mwoauth's complete() does not
    # look for "Error: " and fails with a TypeError on any refusal, from MediaWiki too.)
    with trace.step("POST Special:OAuth/token again with the used request token"):
        again = trace.attach(requests.Session()).post(index, params={"title": "Special:OAuth/token"}, auth=OAuth1(
            consumer["client_id"], consumer["client_secret"], request_token.key, request_token.secret,
            verifier=answer["oauth_verifier"][0]), timeout=30)
    assert again.status_code == 200 and again.text.startswith("Error: "), (again.status_code, again.text[:500])

    client = trace.attach(requests.Session())
    client.auth = OAuth1(consumer["client_id"], consumer["client_secret"], access_token.key, access_token.secret)
    with trace.step("GET api.php meta=userinfo (signed with the access token)"):
        userinfo = client.get(wiki.api_url, params={"action": "query", "meta": "userinfo", "uiprop": "rights",
                                                    "format": "json"}, timeout=30).json()
    assert userinfo["query"]["userinfo"]["name"] == "Alice", userinfo
    assert "edit" in userinfo["query"]["userinfo"]["rights"], userinfo

    title = "E2E mwoauth three-legged"
    with trace.step("GET api.php meta=tokens (signed)"):
        csrf = client.get(wiki.api_url, params={"action": "query", "meta": "tokens", "format": "json"},
                          timeout=30).json()["query"]["tokens"]["csrftoken"]
    assert csrf != "+\\", "an anonymous csrf token: the signature was ignored"
    with trace.step(f"POST api.php action=edit title={title} (signed)"):
        edit = client.post(wiki.api_url, data={"action": "edit", "title": title, "text": "Written through OAuth 1.0a.",
                                               "summary": "e2e mwoauth", "token": csrf, "format": "json"},
                           timeout=30).json()
    assert edit.get("edit", {}).get("result") == "Success", edit
    history = wiki.call(requests.Session(), "GET", action="query", prop="revisions", titles=title, rvprop="user",
                        formatversion="2")
    assert history["query"]["pages"][0]["revisions"][0]["user"] == "Alice", history
