"""OAuth 1.0a as Extension:OAuth serves it: signed api.php requests (signature, nonce, timestamp,
grants), and the three-legged handshake of Special:OAuth with identify's JWT. Requests are signed
by oauthlib, the library requests-oauthlib (and so pywikibot and mwclient) signs with."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import OctKey
from oauthlib.oauth1 import Client

from tests.helpers import logged_in

API = "http://wiki.test/w/api.php"
INDEX = "http://wiki.test/w/index.php"
CALLBACK = "https://tool.example/oauth-callback"


async def signed(api: Any, client: Client, method: str, url: str, params: dict[str, str]) -> Any:
    if method == "GET":
        uri, headers, _ = client.sign(f"{url}?{urlencode(params)}", http_method="GET")
        return await api.client.get(uri, headers=headers)
    uri, headers, body = client.sign(url, http_method="POST", body=urlencode(params),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    return await api.client.post(uri, content=body, headers=headers)


# The wiki's clock is fixed in tests: signatures carry its time, not the machine's.
NOW = "1790000000"


def signer(registration: Any, **extra: Any) -> Client:
    return Client(registration.consumer.key, client_secret=registration.secret,
                  resource_owner_key=registration.access_key, resource_owner_secret=registration.access_secret,
                  **{"timestamp": NOW, **extra})


async def test_signed_requests_act_as_the_owner_with_the_grants(new_api: Any, services: Any) -> None:
    await services.accounts.create("Mindy", None, groups=("sysop",))
    registration = await services.oauth.register("Mindy", name="bot", grants=["editpage", "createeditmovepage"],
                                                  now=services.clock.now(), owner_only=True, oauth_version=1)
    api, client = new_api(), signer(registration)
    me = (await signed(api, client, "GET", API, {"action": "query", "meta": "userinfo", "format": "json"})).json()
    assert me["query"]["userinfo"]["name"] == "Mindy"
    tokens = (await signed(api, client, "GET", API, {"action": "query", "meta": "tokens", "format": "json"})).json()
    saved = await signed(api, client, "POST", API, {"action": "edit", "title": "Signed", "text": "by OAuth 1.0a",
                                                    "token": tokens["query"]["tokens"]["csrftoken"],
                                                    "format": "json"})
    assert saved.json()["edit"]["result"] == "Success"
    protect = await signed(api, client, "POST", API, {"action": "protect", "title": "Signed", "format": "json",
                                                      "protections": "edit=sysop",
                                                      "token": tokens["query"]["tokens"]["csrftoken"]})
    assert protect.json()["error"]["code"] == "permissiondenied"


async def test_forged_replayed_and_stale_signatures_are_refused(new_api: Any, services: Any) -> None:
    await services.accounts.create("Mindy", None)
    registration = await services.oauth.register("Mindy", name="bot", grants=["basic"], now=services.clock.now(),
                                                  owner_only=True, oauth_version=1)
    api = new_api()
    params = {"action": "query", "meta": "userinfo", "format": "json"}
    uri, headers, _ = signer(registration, nonce="fixed-nonce-1").sign(f"{API}?{urlencode(params)}")
    assert "query" in (await api.client.get(uri, headers=headers)).json()
    replayed = (await api.client.get(uri, headers=headers)).json()["error"]
    assert replayed["code"] == "mwoauth-invalid-authorization" and "Nonce already used: fixed-nonce-1" in replayed["info"]
    forged = Client(registration.consumer.key, client_secret="0" * 40, resource_owner_key=registration.access_key,
                    resource_owner_secret=registration.access_secret, timestamp=NOW)
    bad = (await signed(api, forged, "GET", API, params)).json()["error"]
    assert "Invalid signature" in bad["info"]
    stale = signer(registration, timestamp=str(int(NOW) - 301))
    old = (await signed(api, stale, "GET", API, params)).json()["error"]
    assert "Expired timestamp" in old["info"]
    await services.oauth.set_stage(registration.consumer.key, 4)
    disabled = (await signed(api, signer(registration), "GET", API, params)).json()["error"]
    assert disabled["code"] == "mwoauth-invalid-authorization-not-approved"


async def test_the_three_legged_handshake_and_identify(new_api: Any, services: Any) -> None:
    await services.accounts.create("Dev", None)
    registration = await services.oauth.register("Dev", name="tool", grants=["editpage"], now=services.clock.now(),
                                                  oauth_version=1, callback_url=CALLBACK)
    await services.oauth.set_stage(registration.consumer.key, 1)
    tool = new_api()
    key, secret = registration.consumer.key, registration.secret
    initiate = Client(key, client_secret=secret, callback_uri="oob", timestamp=NOW)
    uri, headers, _ = initiate.sign(f"{INDEX}?title=Special:OAuth/initiate", http_method="POST")
    answer = await tool.client.post(uri, headers=headers)
    request = parse_qs(answer.text)
    assert request["oauth_callback_confirmed"] == ["true"], answer.text
    request_token, request_secret = request["oauth_token"][0], request["oauth_token_secret"][0]
    alice = await logged_in(new_api, services, "Alice")
    page = await alice.client.get(INDEX, params={"title": "Special:OAuth/authorize", "oauth_token": request_token,
                                                 "oauth_consumer_key": key})
    assert page.headers["X-Frame-Options"] == "DENY" and "tool" in page.text
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    approved = await alice.client.post(INDEX, data={**fields, "decision": "accept"})
    assert approved.status_code == 302
    returned = parse_qs(urlparse(approved.headers["location"]).query)
    assert returned["oauth_token"] == [request_token]
    exchange = Client(key, client_secret=secret, resource_owner_key=request_token,
                      resource_owner_secret=request_secret, verifier=returned["oauth_verifier"][0], timestamp=NOW)
    uri, headers, _ = exchange.sign(f"{INDEX}?title=Special:OAuth/token", http_method="POST")
    access = parse_qs((await tool.client.post(uri, headers=headers)).text)
    uri, headers, _ = exchange.sign(f"{INDEX}?title=Special:OAuth/token", http_method="POST")
    assert (await tool.client.post(uri, headers=headers)).text.startswith("Error: ")  # a request token serves once
    user_client = Client(key, client_secret=secret, resource_owner_key=access["oauth_token"][0],
                         resource_owner_secret=access["oauth_token_secret"][0], timestamp=NOW)
    uri, headers, _ = user_client.sign(f"{INDEX}?title=Special:OAuth/identify", http_method="POST")
    identity = await tool.client.post(uri, headers=headers)
    nonce = dict(re.findall(r'(\w+)="([^"]*)"', headers["Authorization"]))["oauth_nonce"]
    claims = jwt.decode(identity.text, OctKey.import_key(secret), algorithms=["HS256"]).claims
    assert (claims["username"], claims["aud"], claims["nonce"], claims["grants"]) == (
        "Alice", key, nonce, ["basic", "editpage"])
    assert claims["exp"] - claims["iat"] == 100 and claims["iat"] == int(NOW)
    me = (await signed(new_api(), user_client, "GET", API, {"action": "query", "meta": "userinfo",
                                                             "format": "json"})).json()
    assert me["query"]["userinfo"]["name"] == "Alice"


async def test_rsa_sha1_signatures_are_checked_with_the_registered_public_key(new_api: Any, services: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from oauthlib.oauth1 import SIGNATURE_RSA

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    await services.accounts.create("Mindy", None)
    registration = await services.oauth.register("Mindy", name="rsa", grants=["basic"], now=services.clock.now(),
                                                  owner_only=True, oauth_version=1, rsa_key=public)
    params = {"action": "query", "meta": "userinfo", "format": "json"}
    rsa_client = Client(registration.consumer.key, signature_method=SIGNATURE_RSA, rsa_key=private,
                        resource_owner_key=registration.access_key, resource_owner_secret=registration.access_secret,
                        timestamp=NOW)
    me = (await signed(new_api(), rsa_client, "GET", API, params)).json()
    assert me["query"]["userinfo"]["name"] == "Mindy"
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    impostor = Client(registration.consumer.key, signature_method=SIGNATURE_RSA, rsa_key=other,
                      resource_owner_key=registration.access_key, resource_owner_secret=registration.access_secret,
                      timestamp=NOW)
    refused = (await signed(new_api(), impostor, "GET", API, params)).json()["error"]
    assert "Invalid signature" in refused["info"]


async def test_a_callback_prefix_consumer_sends_the_user_to_the_callback_it_asked_for(new_api: Any,
                                                                                  services: Any) -> None:
    await services.accounts.create("Dev", None)
    registration = await services.oauth.register("Dev", name="web", grants=["basic"], now=services.clock.now(),
                                                  oauth_version=1, callback_url=CALLBACK, callback_is_prefix=True)
    await services.oauth.set_stage(registration.consumer.key, 1)
    key, secret = registration.consumer.key, registration.secret
    tool = new_api()

    async def initiate(callback: str) -> str:
        client = Client(key, client_secret=secret, callback_uri=callback, timestamp=NOW)
        uri, headers, _ = client.sign(f"{INDEX}?title=Special:OAuth/initiate", http_method="POST")
        return str((await tool.client.post(uri, headers=headers)).text)

    assert (await initiate("https://evil.example/oauth-callback")).startswith("Error: ")
    token = parse_qs(await initiate(f"{CALLBACK}/session-42"))["oauth_token"][0]
    alice = await logged_in(new_api, services, "Alice")
    page = await alice.client.get(INDEX, params={"title": "Special:OAuth/authorize", "oauth_token": token,
                                                 "oauth_consumer_key": key})
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    approved = await alice.client.post(INDEX, data={**fields, "decision": "accept"})
    assert approved.headers["location"].startswith(f"{CALLBACK}/session-42?oauth_verifier=")


async def test_an_identity_only_grant_carries_no_right_in_oauth1_as_in_oauth2(new_api: Any, services: Any) -> None:
    await services.accounts.create("Mindy", None, groups=("sysop",))
    registration = await services.oauth.register("Mindy", name="who", grants=["mwoauth-authonly"],
                                                  now=services.clock.now(), owner_only=True, oauth_version=1)
    answer = (await signed(new_api(), signer(registration), "GET", API,
                           {"action": "query", "meta": "userinfo", "uiprop": "rights", "format": "json"})).json()
    assert answer["error"]["code"] == "readapidenied"
