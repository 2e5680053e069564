"""OAuth 2 clients against the real server: Authlib's OAuth2Session runs the authorization-code flow
(with PKCE for a public consumer, with a client secret and refresh-token rotation for a confidential
one) against rest.php/oauth2/*, while a requests.Session logged in through api.php's clientlogin plays
the browser on the consent page; the tokens then edit through api.php as the user who consented.

Consumers are registered and approved with the CLI against the running server's database, as an
administrator of a wiki would with Special:OAuthConsumerRegistration and Special:OAuthManageConsumers.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from e2e_support import RequestTrace, WikiServer, accept_consent, browser_session

pytestmark = pytest.mark.e2e

# Never fetched: the consent step's 302 is read, not followed, so nothing has to listen here.
CALLBACK = "http://127.0.0.1:9/callback"


def _endpoint(wiki: WikiServer, name: str) -> str:
    return f"{wiki.base}/w/rest.php/oauth2/{name}"


def _register(wiki: WikiServer, name: str, *, public: bool) -> dict[str, Any]:
    """A consumer owned by Admin (so that Alice uses someone else's application, the usual case),
    proposed and then approved, as the extension requires before anyone but the owner may use it."""
    args = ["oauth", "consumer", "create", name, "--owner", "Admin", "--grants", "editpage,createeditmovepage",
            "--callback", CALLBACK, "--json"]
    consumer: dict[str, Any] = json.loads(wiki.cli(*args, *(["--public"] if public else [])))
    assert consumer["stage"] == "proposed" and consumer["confidential"] is (not public), consumer
    wiki.cli("oauth", "consumer", "approve", consumer["client_id"])
    return consumer


def _consent(browser: requests.Session, trace: RequestTrace, authorization_url: str, user: str) -> str:
    """Accept on the consent page; the client's callback it sends the browser to, with the code."""
    return accept_consent(browser, trace, authorization_url, user, CALLBACK).location


def _edit(wiki: WikiServer, client: requests.Session, trace: RequestTrace, title: str, text: str) -> dict[str, Any]:
    """An edit through api.php with the client's bearer token: a csrf token first, as MediaWiki requires."""
    with trace.step("GET meta=tokens (bearer token)"):
        tokens = client.get(wiki.api_url, params={"action": "query", "meta": "tokens", "format": "json"},
                            timeout=30).json()
        csrf = tokens["query"]["tokens"]["csrftoken"]
        assert csrf != "+\\", tokens  # an anonymous token would mean the bearer token was ignored
    with trace.step(f"POST action=edit title={title} (bearer token)"):
        answer: dict[str, Any] = client.post(wiki.api_url, data={
            "action": "edit", "title": title, "text": text, "summary": "e2e authlib", "token": csrf,
            "format": "json"}, timeout=30).json()
    return answer


def _last_author(wiki: WikiServer, title: str) -> str:
    answer = wiki.call(requests.Session(), "GET", action="query", prop="revisions", titles=title, rvprop="user",
                       formatversion="2")
    return str(answer["query"]["pages"][0]["revisions"][0]["user"])


def test_authlib_public_client_gets_a_token_with_pkce_through_the_consent_page_and_edits_as_alice(
        wiki: WikiServer) -> None:
    consumer = _register(wiki, "e2e authlib public", public=True)
    trace = RequestTrace("authlib")
    browser = browser_session(wiki, trace, "Alice")
    # A public client has no secret: it identifies itself by client_id in the token request
    # ("none"), and PKCE (S256) binds the code to this verifier instead.
    client = trace.attach(OAuth2Session(consumer["client_id"], redirect_uri=CALLBACK, code_challenge_method="S256",
                                        token_endpoint_auth_method="none"))
    verifier = generate_token(64)
    url, state = client.create_authorization_url(_endpoint(wiki, "authorize"), code_verifier=verifier)
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and "code_challenge" in query, url

    location = _consent(browser, trace, url, "Alice")
    returned = parse_qs(urlsplit(location).query)
    assert returned["state"] == [state] and returned["code"], location

    with trace.step("fetch_token(authorization_response=..., code_verifier=...)"):
        token = client.fetch_token(_endpoint(wiki, "access_token"), authorization_response=location,
                                   code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600 and token.get("refresh_token"), \
        {key: "***" if "token" in key else value for key, value in token.items()}

    with trace.step("GET rest.php/oauth2/resource/profile"):
        profile = client.get(_endpoint(wiki, "resource/profile"), timeout=30).json()
    assert profile["username"] == "Alice", profile
    # The consumer asked for editpage and createeditmovepage only (and basic, always added).
    assert sorted(profile["grants"]) == ["basic", "createeditmovepage", "editpage"], profile

    title = "E2E authlib public client"
    answer = _edit(wiki, client, trace, title, "Written by an OAuth 2 public client.")
    assert answer.get("edit", {}).get("result") == "Success", answer
    assert _last_author(wiki, title) == "Alice"

    # PKCE is not optional for a public client: without a verifier the code is refused, and the
    # consent page refuses a request without a challenge (league/oauth2-server's wording).
    with trace.step("GET rest.php/oauth2/authorize without code_challenge"):
        bare = OAuth2Session(consumer["client_id"], redirect_uri=CALLBACK)
        no_pkce_url, _ = bare.create_authorization_url(_endpoint(wiki, "authorize"))
        refused = browser.get(no_pkce_url, allow_redirects=False, timeout=30)
    assert "Code challenge must be provided for public clients" in refused.text, refused.text[:2000]


def test_authlib_confidential_client_refreshes_its_token_and_the_old_access_token_stops_working(
        wiki: WikiServer) -> None:
    consumer = _register(wiki, "e2e authlib confidential", public=False)
    trace = RequestTrace("authlib")
    browser = browser_session(wiki, trace, "Alice")
    # A confidential client authenticates with its secret (HTTP Basic, Authlib's default), so PKCE
    # is not needed; the refresh-token grant requires the secret too.
    client = trace.attach(OAuth2Session(consumer["client_id"], consumer["client_secret"], redirect_uri=CALLBACK))
    url, _ = client.create_authorization_url(_endpoint(wiki, "authorize"))
    location = _consent(browser, trace, url, "Alice")
    with trace.step("fetch_token(authorization_response=...) with the client secret"):
        first = dict(client.fetch_token(_endpoint(wiki, "access_token"), authorization_response=location))
    title = "E2E authlib confidential client"
    answer = _edit(wiki, client, trace, title, "Written with the first access token.")
    assert answer.get("edit", {}).get("result") == "Success", answer

    with trace.step("refresh_token() (grant_type=refresh_token, client secret in HTTP Basic)"):
        second = dict(client.refresh_token(_endpoint(wiki, "access_token")))
    assert second["access_token"] != first["access_token"], "the refresh gave the same access token"
    assert second["refresh_token"] != first["refresh_token"], "the refresh token was not rotated"

    # The library's session now carries the new token and edits with it.
    answer = _edit(wiki, client, trace, title, "Written with the refreshed access token.")
    assert answer.get("edit", {}).get("result") == "Success", answer
    assert _last_author(wiki, title) == "Alice"

    # Rotation revokes the pair it replaced: the old access token is refused on api.php as
    # Extension:OAuth refuses a revoked one, and the old refresh token cannot be used again.
    with trace.step("GET meta=userinfo with the old access token"):
        old = trace.attach(requests.Session())
        old.headers["Authorization"] = f"Bearer {first['access_token']}"
        stale = old.get(wiki.api_url, params={"action": "query", "meta": "userinfo", "format": "json"},
                        timeout=30).json()
    assert stale.get("error", {}).get("code") == "mwoauth-invalid-authorization", stale
    with pytest.raises(OAuthError) as reused:
        client.refresh_token(_endpoint(wiki, "access_token"), refresh_token=first["refresh_token"])
    assert reused.value.error == "invalid_request", reused.value
