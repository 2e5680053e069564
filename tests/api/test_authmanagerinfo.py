"""meta=authmanagerinfo, against MediaWiki 1.39's answers (transcript-1.39.md §b)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import Api

PASSWORD_ID = "MediaWiki\\Auth\\PasswordAuthenticationRequest"
REMEMBER_ID = "MediaWiki\\Auth\\RememberMeAuthenticationRequest"


async def info(api: Api, **params: str) -> dict:  # type: ignore[type-arg]
    body = (await api.get(action="query", meta="authmanagerinfo", **params)).json()
    return dict(body["query"]["authmanagerinfo"])


async def test_without_requests(api: Api) -> None:
    assert await info(api) == {"canauthenticatenow": "", "cancreateaccounts": ""}


async def test_login_requests_formatversion_1(api: Api) -> None:
    assert await info(api, amirequestsfor="login") == {
        "canauthenticatenow": "", "cancreateaccounts": "", "preservedusername": "",
        "requests": [
            {"id": PASSWORD_ID, "metadata": {}, "required": "primary-required",
             "provider": "Password-based authentication", "account": "",
             "fields": {
                 "username": {"type": "string", "label": "Username", "help": "Username for authentication."},
                 "password": {"type": "password", "label": "Password", "help": "Password for authentication.",
                              "sensitive": ""},
             }},
            {"id": REMEMBER_ID, "metadata": {}, "required": "optional", "provider": REMEMBER_ID,
             "account": REMEMBER_ID,
             "fields": {"rememberMe": {
                 "type": "checkbox", "label": "Keep me logged in",
                 "help": "Whether the password should be remembered for longer than the length of the session.",
                 "optional": ""}}},
        ],
    }


async def test_merged_fields_formatversion_2(api: Api) -> None:
    result = await info(api, amirequestsfor="login", amimergerequestfields="1", formatversion="2")
    assert result["canlinkaccounts"] is False and result["haspreservedstate"] is False
    assert all("fields" not in request for request in result["requests"])
    assert list(result["fields"]) == ["username", "password", "rememberMe"]
    assert result["fields"]["password"]["sensitive"] is True and result["fields"]["rememberMe"]["optional"] is True


async def test_create_requests_for_anonymous_and_logged_in_creators(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    ids = [r["id"] for r in (await info(api, amirequestsfor="create"))["requests"]]
    assert ids == [PASSWORD_ID, "MediaWiki\\Auth\\UsernameAuthenticationRequest",
                   "MediaWiki\\Auth\\UserDataAuthenticationRequest"]
    await make_user("Alice", "AlicePassword-1234")
    await api.login("Alice", "AlicePassword-1234")
    ids = [r["id"] for r in (await info(api, amirequestsfor="create"))["requests"]]
    assert ids[-1] == "MediaWiki\\Auth\\CreationReasonAuthenticationRequest"


async def test_login_continue_lists_what_the_flow_waits_for(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    assert (await info(api, amirequestsfor="login-continue", formatversion="2"))["requests"] == []
    await make_user("Mindy", "MindyPassword-1234")
    await services.login.enable_two_factor("Mindy")
    token = await api.token("login")
    await api.post(action="clientlogin", username="Mindy", password="MindyPassword-1234",
                   loginreturnurl="http://wiki.test/", logintoken=token)
    requests = (await info(api, amirequestsfor="login-continue"))["requests"]
    assert [r["id"] for r in requests] == ["MediaWiki\\Extension\\OATHAuth\\Auth\\TOTPAuthenticationRequest"]


async def test_raw_messages(api: Api) -> None:
    request = (await info(api, amirequestsfor="login", amimessageformat="raw"))["requests"][0]
    assert request["provider"] == {"key": "authmanager-provider-password", "params": []}
    # MediaWiki's keys, so a client can word the fields itself.
    assert request["fields"]["username"]["label"] == {"key": "userlogin-yourname", "params": []}
    assert request["account"] == {"key": "$1", "params": [None]}  # no account yet: null
    remember = (await info(api, amirequestsfor="login", amimessageformat="raw"))["requests"][1]
    assert remember["fields"]["rememberMe"]["label"] == {"key": "userlogin-remembermypassword",
                                                         "params": [{"num": 180}]}  # days


@pytest.mark.configure(lambda settings: replace(settings, reauthenticate_time=300))
async def test_security_sensitive_operation(api: Api, make_user, clock) -> None:  # type: ignore[no-untyped-def]
    assert (await info(api, amisecuritysensitiveoperation="x"))["securitysensitiveoperationstatus"] == "reauth"
    await make_user("Alice", "AlicePassword-1234")
    await api.login("Alice", "AlicePassword-1234")
    assert (await info(api, amisecuritysensitiveoperation="x"))["securitysensitiveoperationstatus"] == "ok"
    clock.advance(301)
    status = await info(api, amisecuritysensitiveoperation="x")
    assert (await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["name"] == "Alice"
    assert status["securitysensitiveoperationstatus"] == "reauth"
