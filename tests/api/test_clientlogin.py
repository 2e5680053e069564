"""action=clientlogin: PASS, FAIL, throttles, two-factor and password-change UI steps.

Expected shapes come from MediaWiki 1.39 (transcript-1.39.md §c, §j, §k).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pyotp
import pytest

from tests.conftest import Api
from tests.helpers import HASHER, stored_account, table_rows, update_account
from wikigate.auth.policy import DEFAULT_PASSWORD_POLICY
from wikigate.store.schema import user as user_table

RETURN = "http://wiki.test/"
TOTP_ID = "MediaWiki\\Extension\\OATHAuth\\Auth\\TOTPAuthenticationRequest"
PASSWORD_ID = "MediaWiki\\Auth\\PasswordAuthenticationRequest"
WRONG = "Incorrect username or password entered.\nPlease try again."


async def clientlogin(api: Api, **params: Any) -> dict[str, Any]:
    token = await api.token("login")
    body = (await api.post(action="clientlogin", logintoken=token, **params)).json()
    return dict(body)


async def start(api: Api, name: str, password: str, **params: Any) -> dict[str, Any]:
    body = await clientlogin(api, username=name, password=password, loginreturnurl=RETURN, **params)
    return dict(body["clientlogin"])


async def whoami(api: Api) -> str:
    return str((await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["name"])


async def test_pass_logs_in_under_a_new_session_id(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    await api.token("login")
    before = api.client.cookies["wikigate_session"]
    response = await api.post(action="clientlogin", username="Alice", password="AlicePassword-1234",
                              loginreturnurl=RETURN, logintoken=await api.token("login"))
    assert response.json() == {"clientlogin": {"status": "PASS", "username": "Alice"}}
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("wikigate_session=") for c in cookies)
    assert any(c.startswith("wikigateUserID=") and "Max-Age=2592000" in c for c in cookies)
    assert not any(c.startswith("wikigateToken=") for c in cookies)
    assert api.client.cookies["wikigate_session"] != before
    assert await whoami(api) == "Alice"


async def test_wrong_password_and_unknown_user_answer_alike(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    wrong = await start(api, "Alice", "wrong-password")
    unknown = await start(api, "NoSuchUser", "whatever")
    expected = {"status": "FAIL", "message": WRONG, "messagecode": "wrongpassword"}
    assert wrong == unknown == expected
    assert await whoami(api) == "127.0.0.1"


async def test_fail_in_formatversion_2_says_state_cannot_be_preserved(api: Api) -> None:
    body = await clientlogin(api, username="Nobody", password="x", loginreturnurl=RETURN, formatversion="2")
    assert body["clientlogin"]["canpreservestate"] is False


@pytest.mark.parametrize(("fmt", "expected"), [
    ("raw", {"key": "wrongpassword", "params": []}),
    ("html", WRONG),
    ("wikitext", WRONG),
])
async def test_message_formats(api: Api, fmt: str, expected: Any) -> None:
    result = await start(api, "Nobody", "x", loginmessageformat=fmt)
    assert result["message"] == expected and result["messagecode"] == "wrongpassword"


async def test_message_format_none_leaves_the_message_out(api: Api) -> None:
    result = await start(api, "Nobody", "x", loginmessageformat="none")
    assert result == {"status": "FAIL", "messagecode": "wrongpassword"}


async def test_a_return_url_or_continue_is_required(api: Api) -> None:
    error = (await clientlogin(api, username="A", password="b"))["error"]
    assert error["code"] == "missingparam"
    assert error["info"].startswith('At least one of the parameters "logincontinue" and "loginreturnurl"')


@pytest.mark.parametrize("url", ["foo", "/relative", "//host/path"])
async def test_return_url_must_be_absolute(api: Api, url: str) -> None:
    error = (await clientlogin(api, username="A", password="b", loginreturnurl=url))["error"]
    assert error["code"] == "badurl_loginreturnurl"
    assert error["info"] == f'Invalid value "{url}" for URL parameter "loginreturnurl".'


@pytest.mark.parametrize("url", ["", "%%%"])
async def test_a_bad_return_url_in_raw_errorformat_is_a_plain_string_parameter(api: Api, url: str) -> None:
    # Found by the fuzzing harness: the literal URL reached the JSON encoder as an object (a plain 500).
    body = await clientlogin(api, username="A", password="b", loginreturnurl=url, errorformat="raw")
    assert body["errors"][0] == {"code": "badurl_loginreturnurl", "key": "apierror-badurl",
                                 "params": ["loginreturnurl", url], "module": "clientlogin"}


async def test_password_in_the_query_string_is_refused(api: Api) -> None:
    token = await api.token("login")
    error = (await api.post(query={"password": "secret"}, action="clientlogin", username="A",
                            loginreturnurl=RETURN, logintoken=token)).json()["error"]
    assert error["code"] == "mustpostparams"
    assert error["info"].endswith("must be in the POST body: password.")


async def test_missing_credentials_find_no_primary_provider(api: Api) -> None:
    result = await start(api, "Someone", "")
    assert result["messagecode"] == "authmanager-authn-no-primary"
    assert (await start(api, "Bad|name", "secret"))["messagecode"] == "authmanager-authn-no-primary"


async def test_requests_filter_drops_the_password_request(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    body = await clientlogin(api, username="Alice", password="AlicePassword-1234", loginreturnurl=RETURN,
                             loginrequests="MediaWiki\\Auth\\RememberMeAuthenticationRequest")
    assert body["clientlogin"]["messagecode"] == "authmanager-authn-no-primary"
    assert body["warnings"]["main"]["*"] == "Unrecognized parameters: username, password."


async def test_continue_without_a_login_in_progress(api: Api) -> None:
    body = await clientlogin(api, logincontinue="1", password="x", retype="x")
    assert body["clientlogin"] == {
        "status": "FAIL",
        "message": "Authentication is not in progress or session data has been lost. "
                   "Please start again from the beginning.",
        "messagecode": "authmanager-authn-not-in-progress",
    }
    assert body["warnings"]["main"]["*"] == "Unrecognized parameters: password, retype."


async def test_throttle_after_five_attempts_then_lifted(api: Api, make_user, clock) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    for _ in range(5):
        assert (await start(api, "Alice", "wrong"))["messagecode"] == "wrongpassword"
    throttled = await start(api, "Alice", "AlicePassword-1234")
    assert throttled == {
        "status": "FAIL", "messagecode": "login-throttled",
        "message": "You have made too many recent login attempts.\nPlease wait 5 minutes before trying again.",
    }
    clock.advance(301)
    assert (await start(api, "Alice", "AlicePassword-1234"))["status"] == "PASS"


async def test_success_clears_the_throttle(api: Api, new_api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    for _ in range(4):
        await start(api, "alice", "wrong")
    assert (await start(api, "Alice", "AlicePassword-1234"))["status"] == "PASS"
    other = new_api()
    for _ in range(5):
        assert (await start(other, "Alice", "wrong"))["messagecode"] == "wrongpassword"


async def test_remember_me_sets_a_long_lived_token_cookie(api: Api, new_api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    token = await api.token("login")
    response = await api.post(action="clientlogin", username="Alice", password="AlicePassword-1234",
                              loginreturnurl=RETURN, rememberMe="1", logintoken=token)
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("wikigateToken=") and "Max-Age=15552000" in c for c in cookies)
    # The cookies alone, without the session, still log the user in.
    remembered = new_api()
    for name in ("wikigateUserID", "wikigateToken"):
        remembered.client.cookies.set(name, api.client.cookies[name])
    assert await whoami(remembered) == "Alice"


async def test_old_hash_is_upgraded_on_login(api: Api, runtime, make_user) -> None:  # type: ignore[no-untyped-def]
    record = await make_user("Alice", "AlicePassword-1234")
    old = ":B:salt:" + __import__("hashlib").md5(
        ("salt-" + __import__("hashlib").md5(b"AlicePassword-1234").hexdigest()).encode()).hexdigest()
    await update_account(runtime, record.id, password=old)
    assert (await start(api, "Alice", "AlicePassword-1234"))["status"] == "PASS"
    [stored] = [row.password for row in await table_rows(runtime, user_table, user_table.c.id == record.id)]
    assert stored.startswith(":pbkdf2:") and HASHER.verify("AlicePassword-1234", stored)


# -- two-factor -----------------------------------------------------------------------


async def _enrol(services, make_user) -> str:  # type: ignore[no-untyped-def]
    await make_user("Mindy", "MindyPassword-1234", groups=("sysop",))
    return (await services.login.enable_two_factor("Mindy")).secret


async def test_two_factor_ui_then_pass(api: Api, services, make_user, clock) -> None:  # type: ignore[no-untyped-def]
    secret = await _enrol(services, make_user)
    ui = await start(api, "Mindy", "MindyPassword-1234")
    assert ui == {
        "status": "UI",
        "requests": [{
            "id": TOTP_ID, "metadata": {}, "required": "required",
            "provider": "Two-factor authentication (OATH).", "account": "Mindy",
            "fields": {"OATHToken": {
                "type": "string", "label": "Two-factor token or recovery code",
                "help": "The one-time password used as the second factor of two-factor authentication.",
            }},
        }],
        "message": "Please enter a code from your two-factor authentication application "
                   "(such as Google Authenticator).",
        "messagecode": "oathauth-auth-ui",
    }
    assert await whoami(api) == "127.0.0.1"
    wrong = (await clientlogin(api, logincontinue="1", OATHToken="000000"))["clientlogin"]
    assert wrong["status"] == "UI" and wrong["messagecode"] == "oathauth-login-failed"
    code = pyotp.TOTP(secret).at(clock.now())
    done = (await clientlogin(api, logincontinue="1", OATHToken=code))["clientlogin"]
    assert done == {"status": "PASS", "username": "Mindy"}
    assert await whoami(api) == "Mindy"


async def test_a_code_is_never_accepted_twice(api: Api, new_api, services, make_user, clock) -> None:  # type: ignore[no-untyped-def]
    secret = await _enrol(services, make_user)
    code = pyotp.TOTP(secret).at(clock.now())
    await start(api, "Mindy", "MindyPassword-1234")
    assert (await clientlogin(api, logincontinue="1", OATHToken=code))["clientlogin"]["status"] == "PASS"
    other = new_api()
    await start(other, "Mindy", "MindyPassword-1234")
    replay = (await clientlogin(other, logincontinue="1", OATHToken=code))["clientlogin"]
    assert replay["messagecode"] == "oathauth-login-failed"


async def test_recovery_code_works_once(api: Api, new_api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Mindy", "MindyPassword-1234")
    recovery = (await services.login.enable_two_factor("Mindy")).recovery_codes[0]
    await start(api, "Mindy", "MindyPassword-1234")
    assert (await clientlogin(api, logincontinue="1", OATHToken=recovery.lower()))["clientlogin"]["status"] == "PASS"
    other = new_api()
    await start(other, "Mindy", "MindyPassword-1234")
    again = (await clientlogin(other, logincontinue="1", OATHToken=recovery))["clientlogin"]
    assert again["messagecode"] == "oathauth-login-failed"


async def test_wrong_codes_are_rate_limited_even_for_sysops(api: Api, services, make_user, clock) -> None:  # type: ignore[no-untyped-def]
    secret = await _enrol(services, make_user)
    await start(api, "Mindy", "MindyPassword-1234")
    for _ in range(10):
        await clientlogin(api, logincontinue="1", OATHToken="000000")
    right = pyotp.TOTP(secret).at(clock.now())
    limited = (await clientlogin(api, logincontinue="1", OATHToken=right))["clientlogin"]
    assert limited["status"] == "UI" and limited["messagecode"] == "oathauth-throttled"
    assert limited["message"] == "Too many verification attempts! Please wait 1 minute."


async def test_continuation_with_merged_fields(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    await _enrol(services, make_user)
    ui = await start(api, "Mindy", "MindyPassword-1234", loginmergerequestfields="1", formatversion="2")
    assert "fields" not in ui["requests"][0]
    assert ui["fields"]["OATHToken"] == {
        "type": "string", "label": "Two-factor token or recovery code",
        "help": "The one-time password used as the second factor of two-factor authentication.",
        "optional": False, "sensitive": False,
    }


# -- password changes at login ------------------------------------------------------------


async def _mail_temporary_password(runtime, name: str, password: str, sent: float) -> None:  # type: ignore[no-untyped-def]
    record = await stored_account(runtime, name)
    await update_account(runtime, record.id, newpassword=HASHER.hash(password), newpass_time=sent)


async def test_temporary_password_forces_a_new_one(api: Api, new_api, runtime, make_user, clock) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    await _mail_temporary_password(runtime, "Alice", "29u3f8ki19", clock.now())
    ui = await start(api, "Alice", "29u3f8ki19")
    assert ui["status"] == "UI" and ui["messagecode"] == "resetpass-temp-emailed"
    assert ui["requests"] == [{
        "id": PASSWORD_ID, "metadata": {}, "required": "required",
        "provider": "Password-based authentication", "account": "Alice",
        "fields": {
            "password": {"type": "password", "label": "New password:", "help": "Password for authentication.",
                         "sensitive": ""},
            "retype": {"type": "password", "label": "Retype new password:", "help": "Password again to confirm.",
                       "sensitive": ""},
        },
    }]
    mismatch = (await clientlogin(api, logincontinue="1", password="New-passw0rd-x!", retype="other"))["clientlogin"]
    assert mismatch["status"] == "UI" and mismatch["messagecode"] == "badretype"
    weak = (await clientlogin(api, logincontinue="1", password="Alice", retype="Alice"))["clientlogin"]
    assert weak["status"] == "UI" and weak["messagecode"] == "___1____2"
    assert weak["message"].startswith("* ") and "\n* " in weak["message"]
    done = (await clientlogin(api, logincontinue="1", password="New-passw0rd-x!", retype="New-passw0rd-x!"))
    assert done["clientlogin"] == {"status": "PASS", "username": "Alice"}
    # The new password works; the old and the temporary one no longer do.
    other = new_api()
    assert (await start(other, "Alice", "New-passw0rd-x!"))["status"] == "PASS"
    assert (await start(new_api(), "Alice", "29u3f8ki19"))["messagecode"] == "wrongpassword"
    assert (await start(new_api(), "Alice", "AlicePassword-1234"))["messagecode"] == "wrongpassword"


async def test_a_change_at_login_ends_other_sessions_and_voids_bot_passwords(  # type: ignore[no-untyped-def]
        api: Api, new_api, services, runtime, make_user, clock) -> None:
    """The change asked for at login is a password change like any other (Accounts.change_password)."""
    await make_user("Alice", "AlicePassword-1234")
    elsewhere = new_api()
    assert (await start(elsewhere, "Alice", "AlicePassword-1234"))["status"] == "PASS"
    _, bot_secret = await services.login.create_bot_password("Alice", "tool", grants=["basic"])
    await _mail_temporary_password(runtime, "Alice", "29u3f8ki19", clock.now())
    assert (await start(api, "Alice", "29u3f8ki19"))["status"] == "UI"
    done = (await clientlogin(api, logincontinue="1", password="New-passw0rd-x!", retype="New-passw0rd-x!"))
    assert done["clientlogin"]["status"] == "PASS"
    assert await whoami(api) == "Alice"  # the session that made the change stays logged in
    assert await whoami(elsewhere) == "127.0.0.1"  # every other session ended
    bot = new_api()
    token = await bot.token("login")
    login = (await bot.post(action="login", lgname="Alice@tool", lgpassword=bot_secret, lgtoken=token)).json()
    assert login["login"]["result"] == "Failed"  # bot passwords must be reset
    assert "must be reset" in login["login"]["reason"]


async def test_expired_temporary_password_is_wrong(api: Api, runtime, make_user, clock) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    await _mail_temporary_password(runtime, "Alice", "29u3f8ki19", clock.now() - 7 * 86400 - 1)
    assert (await start(api, "Alice", "29u3f8ki19"))["messagecode"] == "wrongpassword"
    assert (await start(api, "Alice", "AlicePassword-1234"))["status"] == "PASS"


async def test_policy_suggests_a_change_that_may_be_skipped(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Commonfan", "password")
    ui = await start(api, "Commonfan", "password")
    assert ui["status"] == "UI" and ui["messagecode"] == "resetpass-validity-soft"
    assert [r["id"] for r in ui["requests"]] == [PASSWORD_ID, "MediaWiki\\Auth\\ButtonAuthenticationRequest:skipReset"]
    assert [r["required"] for r in ui["requests"]] == ["optional", "optional"]
    done = (await clientlogin(api, logincontinue="1", skipReset="1"))["clientlogin"]
    assert done == {"status": "PASS", "username": "Commonfan"}


_FORCED_LENGTH_POLICY = {
    **DEFAULT_PASSWORD_POLICY,
    "default": {**DEFAULT_PASSWORD_POLICY["default"], "MinimalPasswordLength": {"value": 20, "forceChange": True}},
}


@pytest.mark.configure(lambda settings: replace(settings, password_policy=_FORCED_LENGTH_POLICY))
async def test_forced_change_cannot_be_skipped(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    ui = await start(api, "Alice", "AlicePassword-1234")
    assert ui["messagecode"] == "resetpass-validity" and len(ui["requests"]) == 1
    skipped = (await clientlogin(api, logincontinue="1", skipReset="1"))["clientlogin"]
    assert skipped["status"] == "UI"
    done = (await clientlogin(api, logincontinue="1", password="A-much-longer-passw0rd!",
                              retype="A-much-longer-passw0rd!"))["clientlogin"]
    assert done["status"] == "PASS"


async def test_unknown_user_still_pays_for_hashing(api: Api, make_user, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    from wikigate.auth.hashing import PasswordFactory

    original = PasswordFactory.dummy_verify

    def spy(self: PasswordFactory, password: str) -> None:
        calls.append(password)
        original(self, password)

    monkeypatch.setattr(PasswordFactory, "dummy_verify", spy)
    assert (await start(api, "NoSuchUser", "whatever"))["messagecode"] == "wrongpassword"
    assert calls == ["whatever"]
