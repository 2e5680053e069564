"""OAuth 2 as Extension:OAuth serves it: the token endpoint, the consent step with PKCE, and
api.php requests made with bearer tokens (grants, revocation, expiry, locks, IP ranges)."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.helpers import logged_in, update_account

MWN_LOGIN_REFUSAL = "Cannot log in when using MediaWiki\\Extension\\OAuth\\SessionProvider sessions."
CALLBACK = "https://tool.example/callback"


def bearer(api: Any, token: str) -> Any:
    api.client.headers["Authorization"] = f"Bearer {token}"
    return api


async def whoami(api: Any) -> dict[str, Any]:
    body = (await api.get(action="query", meta="userinfo", uiprop="rights", formatversion="2")).json()
    return dict(body.get("query", {}).get("userinfo") or body)


async def edit(api: Any, title: str, text: str) -> dict[str, Any]:
    token = (await api.get(action="query", meta="tokens")).json()["query"]["tokens"]["csrftoken"]
    return dict((await api.post(action="edit", title=title, text=text, token=token, formatversion="2")).json())


async def owner_only_token(services: Any, user: str, grants: list[str], **extra: Any) -> Any:
    return await services.oauth.register(user, name="ci", grants=grants, now=services.clock.now(),
                                         owner_only=True, **extra)


async def test_an_owner_only_token_acts_as_its_owner_with_its_grants_only(new_api: Any, services: Any) -> None:
    await services.accounts.create("Mindy", None, groups=("sysop",))
    registration = await owner_only_token(services, "Mindy", ["editpage", "createeditmovepage"])
    api = bearer(new_api(), registration.access_token)
    me = await whoami(api)
    assert me["name"] == "Mindy" and "edit" in me["rights"] and "protect" not in me["rights"]
    assert (await edit(api, "OAuth page", "saved with a token"))["edit"]["result"] == "Success"
    token = (await api.get(action="query", meta="tokens")).json()["query"]["tokens"]["csrftoken"]
    refused = (await api.post(action="protect", title="OAuth page", protections="edit=sysop", token=token)).json()
    assert refused["error"]["code"] == "permissiondenied"
    # No cookie binds the session: the token alone carries it, request after request.
    assert "set-cookie" not in (await api.get(action="query", meta="tokens")).headers


async def test_login_and_logout_are_refused_as_the_extension_refuses_them(new_api: Any, services: Any) -> None:
    await services.accounts.create("Mindy", None)
    api = bearer(new_api(), (await owner_only_token(services, "Mindy", ["basic"])).access_token)
    token = (await api.get(action="query", meta="tokens", type="login")).json()["query"]["tokens"]["logintoken"]
    login = (await api.post(action="login", lgname="Mindy", lgpassword="x", lgtoken=token)).json()
    assert login == {"login": {"result": "Aborted", "reason": MWN_LOGIN_REFUSAL}}
    client = (await api.post(action="clientlogin", username="Mindy", password="x", loginreturnurl="http://a/",
                             logintoken=token)).json()
    assert (client["clientlogin"]["status"], client["clientlogin"]["messagecode"]) == ("FAIL",
                                                                                       "userlogin-cannot-login")
    csrf = (await api.get(action="query", meta="tokens")).json()["query"]["tokens"]["csrftoken"]
    assert (await api.post(action="logout", token=csrf)).json()["error"]["code"] == "cannotlogout"


async def test_bad_revoked_or_unapproved_credentials_answer_mwoauth_errors(new_api: Any, services: Any) -> None:
    record = await services.accounts.create("Mindy", None)
    registration = await owner_only_token(services, "Mindy", ["basic"])
    forged = bearer(new_api(), registration.access_token[:-4] + "AAAA")
    response = await forged.get(action="query", meta="userinfo")
    assert response.json()["error"]["code"] == "mwoauth-invalid-authorization"
    assert response.status_code == 200 and response.headers["WWW-Authenticate"].startswith("Bearer")
    api = bearer(new_api(), registration.access_token)
    await services.oauth.set_stage(registration.consumer.key, 4)  # disabled
    assert (await api.get(action="query", meta="userinfo")).json()["error"]["code"] == \
        "mwoauth-invalid-authorization-not-approved"
    await services.oauth.set_stage(registration.consumer.key, 1)
    assert (await whoami(api))["id"] == record.id
    renewed = await services.oauth.reset_secret(registration.consumer.key, services.clock.now())
    assert (await api.get(action="query", meta="userinfo")).json()["error"]["code"] == \
        "mwoauth-invalid-authorization"
    assert (await whoami(bearer(new_api(), renewed.access_token)))["id"] == record.id


async def test_a_locked_owner_and_a_foreign_address_are_refused(new_api: Any, services: Any) -> None:
    await services.accounts.create("Mindy", None)
    steward = await logged_in(new_api, services, "Sam", ("steward",))
    ranged = await owner_only_token(services, "Mindy", ["basic"], restrictions=["192.0.2.0/24"])
    assert (await whoami(bearer(new_api("192.0.2.8"), ranged.access_token)))["name"] == "Mindy"
    refused = (await bearer(new_api("198.51.100.1"), ranged.access_token).get(action="query", meta="userinfo"))
    assert refused.json()["error"]["code"] == "mwoauth-invalid-authorization"
    token = await steward.token("setglobalaccountstatus")
    await steward.post(action="setglobalaccountstatus", user="Mindy", locked="lock", token=token)
    locked = await bearer(new_api("192.0.2.8"), ranged.access_token).get(action="query", meta="userinfo")
    assert locked.json()["error"]["code"] == "mwoauth-invalid-authorization-blocked-user"


async def token_endpoint(api: Any, **form: str) -> Any:
    return await api.client.post("/w/rest.php/oauth2/access_token", data=form)


async def test_client_credentials_and_the_token_endpoints_errors(new_api: Any, services: Any, clock: Any) -> None:
    await services.accounts.create("Mindy", None)
    registration = await owner_only_token(services, "Mindy", ["editpage", "createeditmovepage"])
    api = new_api()
    key, secret = registration.consumer.key, registration.secret
    issued = await token_endpoint(api, grant_type="client_credentials", client_id=key, client_secret=secret)
    body = issued.json()
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    assert (body["token_type"], body["expires_in"], "refresh_token" in body) == ("Bearer", 3600, False)
    assert (await whoami(bearer(new_api(), body["access_token"])))["name"] == "Mindy"
    basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
    by_header = await api.client.post("/w/rest.php/oauth2/access_token", data={"grant_type": "client_credentials"},
                                      headers={"Authorization": f"Basic {basic}"})
    assert by_header.status_code == 200
    wrong = await token_endpoint(api, grant_type="client_credentials", client_id=key, client_secret="nope")
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert wrong.json()["message"] == wrong.json()["error_description"]
    assert (await token_endpoint(api, client_id=key)).json()["hint"] == "Check the `grant_type` parameter"
    assert (await token_endpoint(api, grant_type="password", client_id=key)).json()["error"] == \
        "unsupported_grant_type"
    scoped = await token_endpoint(api, grant_type="client_credentials", client_id=key, client_secret=secret,
                                  scope="nonsense")
    assert (scoped.json()["error"], scoped.json()["hint"]) == ("invalid_scope", "Check the `nonsense` scope")
    # An hour later the token has expired.
    clock.advance(3600)
    expired = await bearer(new_api(), body["access_token"]).get(action="query", meta="userinfo")
    assert expired.json()["error"]["code"] == "mwoauth-invalid-authorization"


def pkce() -> tuple[str, str]:
    verifier = "v" * 20 + "erifier-of-pkce-long-enough-0123456789"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


async def test_the_authorization_code_flow_with_pkce_consent_and_refresh(new_api: Any, services: Any) -> None:
    await services.accounts.create("Dev", None)
    registration = await services.oauth.register(
        "Dev", name="tool", grants=["editpage", "createeditmovepage"], now=services.clock.now(), callback_url=CALLBACK, confidential=False)
    key = registration.consumer.key
    alice = await logged_in(new_api, services, "Alice")
    verifier, challenge = pkce()
    query = {"response_type": "code", "client_id": key, "redirect_uri": CALLBACK, "state": "xyz",
             "code_challenge": challenge, "code_challenge_method": "S256"}
    # Proposed and not yet approved: only its owner may use it.
    page = await alice.client.get("/w/rest.php/oauth2/authorize", params=query)
    assert page.status_code == 200 and "form" not in page.text
    await services.oauth.set_stage(key, 1)
    page = await alice.client.get("/w/rest.php/oauth2/authorize", params=query)
    assert page.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page.headers[
        "Content-Security-Policy"]
    assert "tool" in page.text and "editpage" in page.text
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    forged = await alice.client.post(page.url.path, data={**fields, "wpConsentToken": "0" * 64,
                                                          "decision": "accept"})
    assert forged.status_code == 400
    approved = await alice.client.post(page.url.path, data={**fields, "decision": "accept"})
    assert approved.status_code == 302
    target = urlparse(approved.headers["location"])
    returned = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == CALLBACK and returned["state"] == ["xyz"]
    code = returned["code"][0]
    client = new_api()
    bad = await token_endpoint(client, grant_type="authorization_code", client_id=key, code=code,
                               redirect_uri=CALLBACK, code_verifier="w" * 43)
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_grant")
    issued = await token_endpoint(client, grant_type="authorization_code", client_id=key, code=code,
                                  redirect_uri=CALLBACK, code_verifier=verifier)
    tokens = issued.json()
    assert issued.status_code == 200 and "refresh_token" in tokens
    # Codes are single-use.
    again = await token_endpoint(client, grant_type="authorization_code", client_id=key, code=code,
                                 redirect_uri=CALLBACK, code_verifier=verifier)
    assert again.json()["hint"] == "Authorization code has been revoked"
    api = bearer(new_api(), tokens["access_token"])
    assert (await edit(api, "Via the tool", "hello"))["edit"]["result"] == "Success"
    profile = (await client.client.get("/w/rest.php/oauth2/resource/profile",
                                       headers={"Authorization": f"Bearer {tokens['access_token']}"})).json()
    assert (profile["username"], profile["grants"], "email" in profile) == ("Alice", ["basic", "editpage", "createeditmovepage"], False)
    # A public client cannot refresh (the extension asks every refresh for the client's secret).
    refused = await token_endpoint(client, grant_type="refresh_token", client_id=key,
                                   refresh_token=tokens["refresh_token"])
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    cancelled = await alice.client.post(page.url.path, data={**fields, "decision": "cancel"})
    assert parse_qs(urlparse(cancelled.headers["location"]).query)["error"] == ["unauthorized_client"]


async def test_a_confidential_client_refreshes_and_the_old_pair_ends(new_api: Any, services: Any) -> None:
    await services.accounts.create("Dev", None)
    registration = await services.oauth.register("Dev", name="bot", grants=["editpage"], now=services.clock.now(),
                                                 callback_url=CALLBACK)
    key, secret = registration.consumer.key, registration.secret
    await services.oauth.set_stage(key, 1)
    alice = await logged_in(new_api, services, "Alice")
    query = {"response_type": "code", "client_id": key, "redirect_uri": CALLBACK}
    page = await alice.client.get("/w/rest.php/oauth2/authorize", params=query)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    code = parse_qs(urlparse((await alice.client.post(page.url.path, data={**fields, "decision": "accept"}))
                             .headers["location"]).query)["code"][0]
    client = new_api()
    first = (await token_endpoint(client, grant_type="authorization_code", client_id=key, client_secret=secret,
                                  code=code, redirect_uri=CALLBACK)).json()
    second = (await token_endpoint(client, grant_type="refresh_token", client_id=key, client_secret=secret,
                                   refresh_token=first["refresh_token"])).json()
    assert second["access_token"] != first["access_token"]
    reused = await token_endpoint(client, grant_type="refresh_token", client_id=key, client_secret=secret,
                                  refresh_token=first["refresh_token"])
    assert (reused.status_code, reused.json()["hint"]) == (401, "Token has been revoked")
    old = await bearer(new_api(), first["access_token"]).get(action="query", meta="userinfo")
    assert old.json()["error"]["code"] == "mwoauth-invalid-authorization"
    assert (await whoami(bearer(new_api(), second["access_token"])))["name"] == "Alice"


async def test_authorization_server_metadata_names_the_endpoints(api: Any) -> None:
    meta = (await api.client.get("/.well-known/oauth-authorization-server")).json()
    assert meta["token_endpoint"].endswith("/w/rest.php/oauth2/access_token")
    assert meta["code_challenge_methods_supported"] == ["plain", "S256"]


async def test_withdrawing_an_acceptance_ends_its_tokens_on_the_next_request(new_api: Any, services: Any) -> None:
    await services.accounts.create("Mindy", None)
    registration = await owner_only_token(services, "Mindy", ["basic"])
    api = bearer(new_api(), registration.access_token)
    assert (await whoami(api))["name"] == "Mindy"
    assert await services.oauth.revoke(registration.consumer.key, "Mindy") is True
    assert (await api.get(action="query", meta="userinfo")).json()["error"]["code"] == \
        "mwoauth-invalid-authorization"


def _with_proposers(settings: Any) -> Any:
    # As in the extension, nobody may register consumers until the wiki says who may.
    permissions = {**settings.group_permissions,
                   "user": [*settings.group_permissions["user"], "mwoauthproposeconsumer", "mwoauthupdateownconsumer"]}
    return replace(settings, group_permissions=permissions)


@pytest.mark.configure(lambda settings: _with_proposers(settings))
async def test_owners_register_list_and_reset_their_clients_through_rest(new_api: Any, services: Any,
                                                                        runtime: Any) -> None:
    dev = await logged_in(new_api, services, "Dev")
    record = await services.accounts.find("Dev")
    csrf = await dev.token()
    form = {"name": "Tool", "description": "a tool", "owner_only": "1", "is_confidential": "1",
            "grant_types": "client_credentials", "scopes": "editpage", "email": "dev@example.org", "token": csrf}
    unconfirmed = await dev.client.post("/w/rest.php/oauth2/client", data=form)
    assert (unconfirmed.status_code, unconfirmed.json()["errorKey"]) == (400, "mwoauth-consumer-email-unconfirmed")
    await update_account(runtime, record.id, email="dev@example.org", email_authenticated=services.clock.now())
    assert (await dev.client.post("/w/rest.php/oauth2/client", data={**form, "token": "+\\\\"})).status_code == 403
    made = (await dev.client.post("/w/rest.php/oauth2/client", data=form)).json()
    assert made["name"] == "Tool" and len(made["secret"]) == 40 and made["access_token"].count(".") == 2
    assert (await whoami(bearer(new_api(), made["access_token"])))["name"] == "Dev"
    listed = (await dev.client.get("/w/rest.php/oauth2/client")).json()
    assert listed["total"] == 1 and listed["clients"][0]["client_key"] == made["client_key"]
    reset = (await dev.client.post(f"/w/rest.php/oauth2/client/{made['client_key']}/reset_secret",
                                   data={"token": csrf})).json()
    assert reset["secret"] != made["secret"]
    stranger = await logged_in(new_api, services, "Eve")
    other = await stranger.client.post(f"/w/rest.php/oauth2/client/{made['client_key']}/reset_secret",
                                       data={"token": await stranger.token()})
    assert other.json()["errorKey"] == "mwoauth-invalid-consumer-key"


async def test_a_blocked_users_token_gets_in_and_its_edits_are_blocked(new_api: Any, services: Any) -> None:
    await services.accounts.create("Eve", None)
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    registration = await owner_only_token(services, "Eve", ["editpage", "createeditmovepage"])
    api = bearer(new_api(), registration.access_token)
    token = await mindy.token()
    await mindy.post(action="block", user="Eve", token=token)
    # An ordinary block lets the token in and stops the edit, as the extension leaves it to the block.
    assert (await edit(api, "Eve's try", "x"))["error"]["code"] == "blocked"


@pytest.mark.configure(lambda settings: replace(settings, block_disables_login=True))
async def test_where_blocks_disable_logins_a_blocked_users_token_stops_working(new_api: Any,
                                                                               services: Any) -> None:
    await services.accounts.create("Eve", None)
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    api = bearer(new_api(), (await owner_only_token(services, "Eve", ["basic"])).access_token)
    assert (await whoami(api))["name"] == "Eve"
    await mindy.post(action="block", user="Eve", token=await mindy.token())
    assert (await api.get(action="query", meta="userinfo")).json()["error"]["code"] == \
        "mwoauth-invalid-authorization-blocked-user"
