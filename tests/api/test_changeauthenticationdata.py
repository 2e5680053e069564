"""action=changeauthenticationdata and action=removeauthenticationdata through HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import HASHER, insert_rows, stored_account_by_id, table_rows, update_account
from wikigate.store.schema import bot_passwords

PASSWORD_REQUEST = "MediaWiki\\Auth\\PasswordAuthenticationRequest"
TEMPORARY_REQUEST = "MediaWiki\\Auth\\TemporaryPasswordAuthenticationRequest"
OLD = "Old-Password-4321"
NEW = "Brand-new-Passw0rd-77"


@pytest.fixture
async def alice(make_user: Any) -> Any:
    return await make_user("Alice", OLD, email="alice@example.org")


@pytest.fixture
async def logged_in(api: Any, alice: Any, session_for: Any, clock: Any) -> Any:
    await session_for(api, alice, auth_time=clock.now())
    return api


async def change(api: Any, **params: Any) -> dict[str, Any]:
    token = await api.token()
    response = await api.post(action="changeauthenticationdata", changeauthtoken=token, **params)
    body = dict(response.json())
    if "error" in body:
        assert response.headers["MediaWiki-API-Error"] == body["error"]["code"]
    return body


async def test_change_password(logged_in: Any, runtime: Any, alice: Any, clock: Any) -> None:
    await update_account(runtime, alice.id, newpassword="pending", newpass_time=clock.now())
    await insert_rows(runtime, bot_passwords, dict(
        user_id=alice.id, app_id="tool", password=HASHER.hash("bot-secret"),
        grants=[], restrictions=[], created=clock.now()))

    body = await change(logged_in, changeauthrequest=PASSWORD_REQUEST, password=NEW, retype=NEW)
    assert body == {"changeauthenticationdata": {"status": "success"}}

    record = await stored_account_by_id(runtime, alice.id)
    assert HASHER.verify(NEW, record.password, user_id=alice.id)
    assert not HASHER.verify(OLD, record.password, user_id=alice.id)
    assert (record.newpassword, record.newpass_time) == ("", None)
    [stored] = [row.password for row in await table_rows(runtime, bot_passwords)]
    assert not HASHER.verify("bot-secret", stored)
    # The session that made the change stays logged in, as in MediaWiki.
    info = (await logged_in.get(action="query", meta="userinfo")).json()
    assert info["query"]["userinfo"]["name"] == "Alice"


async def userinfo(api: Any) -> dict[str, Any]:
    return dict((await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"])


async def bot_login(api: Any, name: str, password: str) -> dict[str, Any]:
    token = await api.token("login")
    return dict((await api.post(action="login", lgname=name, lgpassword=password, lgtoken=token)).json()["login"])


async def test_change_ends_the_other_sessions_and_voids_bot_passwords(
        logged_in: Any, new_api: Any, services: Any, alice: Any) -> None:
    # Before the change: a second client logged in with the old password, a third one
    # remembered by its cookies alone, and a bot password that logs in.
    other = new_api()
    assert (await other.login("Alice", OLD))["clientlogin"]["status"] == "PASS"
    remembering = new_api()
    token = await remembering.token("login")
    await remembering.post(action="clientlogin", username="Alice", password=OLD, rememberMe="1",
                           loginreturnurl="http://wiki.test/", logintoken=token)
    remembered = new_api()
    for name in ("wikigateUserID", "wikigateToken"):
        remembered.client.cookies.set(name, remembering.client.cookies[name])
    _, bot_password = await services.login.create_bot_password("Alice", "tool", grants=["editpage"])
    assert await bot_login(new_api(), "Alice@tool", bot_password) == {
        "result": "Success", "lguserid": alice.id, "lgusername": "Alice"}
    for client in (logged_in, other, remembered):
        assert (await userinfo(client))["name"] == "Alice"

    body = await change(logged_in, changeauthrequest=PASSWORD_REQUEST, password=NEW, retype=NEW)
    assert body == {"changeauthenticationdata": {"status": "success"}}

    # The session that changed the password stays logged in and can still write.
    assert (await userinfo(logged_in))["name"] == "Alice"
    assert (await logged_in.token()) != "+\\"
    # Every other session of the account ends, remembered ones included.
    for client in (other, remembered):
        assert await userinfo(client) == {"id": 0, "name": "127.0.0.1", "anon": ""}
    # The bot password was granted under the old credentials: it must be reset.
    assert await bot_login(new_api(), "Alice@tool", bot_password) == {
        "result": "Failed", "reason": 'The bot password for bot name "tool" of user "Alice" must be reset.'}
    # The new password logs in, the old one does not.
    assert (await new_api().login("Alice", NEW))["clientlogin"]["status"] == "PASS"
    assert (await new_api().login("Alice", OLD))["clientlogin"]["messagecode"] == "wrongpassword"


@pytest.mark.parametrize(("params", "code", "info"), [
    ({"changeauthrequest": "bogus"}, "badrequest", "The change request could not be created."),
    ({"changeauthrequest": TEMPORARY_REQUEST, "password": NEW, "retype": NEW}, "badrequest", None),
    ({"changeauthrequest": PASSWORD_REQUEST}, "badrequest", None),
    ({"changeauthrequest": PASSWORD_REQUEST, "password": "", "retype": ""}, "badrequest", None),
    ({"changeauthrequest": PASSWORD_REQUEST, "password": NEW, "retype": NEW + "x"}, "badretype",
     "The two passwords you entered are not the same."),
    ({"changeauthrequest": PASSWORD_REQUEST, "password": "password", "retype": "password"},
     "passwordincommonlist", None),
    ({"changeauthrequest": PASSWORD_REQUEST, "password": "lic", "retype": "lic"},
     "password-substring-username-match", "The password must not be part of the username."),
    ({"changeauthrequest": PASSWORD_REQUEST, "password": "a" * 4097, "retype": "a" * 4097},
     "passwordtoolong", "A password may have at most 4096 characters."),
    ({}, "missingparam", 'The "changeauthrequest" parameter must be set.'),
])
async def test_refusals_leave_the_password(logged_in: Any, runtime: Any, alice: Any,
                                           params: dict[str, str], code: str, info: str | None) -> None:
    error = (await change(logged_in, **params))["error"]
    assert error["code"] == code
    if info is not None:
        assert error["info"] == info
    assert (await stored_account_by_id(runtime, alice.id)).password == alice.password


async def test_every_policy_failure_is_listed(api: Any, make_user: Any, session_for: Any, clock: Any) -> None:
    mindy = await make_user("Mindy", "Mindy-Password-1234", groups=("sysop",))
    await session_for(api, mindy, auth_time=clock.now())
    body = await change(api, changeauthrequest=PASSWORD_REQUEST, password="mindy", retype="mindy",
                        errorformat="raw", formatversion="2")
    assert [(e["code"], e["params"]) for e in body["errors"]] == [
        ("passwordtooshort", [10]), ("password-substring-username-match", []), ("passwordincommonlist", []),
    ]


async def test_fields_must_be_posted(logged_in: Any) -> None:
    token = await logged_in.token()
    response = await logged_in.post(query={"password": NEW}, action="changeauthenticationdata",
                                    changeauthtoken=token, changeauthrequest=PASSWORD_REQUEST, retype=NEW)
    assert response.json()["error"]["code"] == "mustpostparams"


async def test_anonymous(api: Any) -> None:
    body = (await api.post(action="changeauthenticationdata", changeauthtoken="+\\",
                           changeauthrequest=PASSWORD_REQUEST, password=NEW, retype=NEW)).json()
    assert body["error"]["code"] == "notloggedin"
    assert body["error"]["info"] == "Only logged-in users can change authentication data."


async def test_needs_token(logged_in: Any) -> None:
    body = (await logged_in.post(action="changeauthenticationdata", changeauthrequest=PASSWORD_REQUEST,
                                 password=NEW, retype=NEW)).json()
    assert body["error"]["code"] == "missingparam"
    assert body["error"]["info"] == 'The "changeauthtoken" parameter must be set.'


@pytest.mark.parametrize("login_age", [None, 3601, 86400])
async def test_old_login_must_reauthenticate(api: Any, alice: Any, runtime: Any, session_for: Any,
                                             clock: Any, login_age: int | None) -> None:
    auth_time = None if login_age is None else clock.now() - login_age
    await session_for(api, alice, auth_time=auth_time)
    body = await change(api, changeauthrequest=PASSWORD_REQUEST, password=NEW, retype=NEW)
    assert body["error"]["code"] == "reauthenticate"
    assert (await stored_account_by_id(runtime, alice.id)).password == alice.password


async def test_recent_login_within_the_window(api: Any, alice: Any, session_for: Any, clock: Any) -> None:
    await session_for(api, alice, auth_time=clock.now() - 3600)
    body = await change(api, changeauthrequest=PASSWORD_REQUEST, password=NEW, retype=NEW)
    assert body == {"changeauthenticationdata": {"status": "success"}}


async def remove(api: Any, **params: Any) -> dict[str, Any]:
    token = await api.token()
    return dict((await api.post(action="removeauthenticationdata", token=token, **params)).json())


async def test_remove_temporary_password(logged_in: Any, runtime: Any, alice: Any, clock: Any) -> None:
    await update_account(runtime, alice.id, newpassword="pending", newpass_time=clock.now())
    assert await remove(logged_in, request=TEMPORARY_REQUEST) == {
        "removeauthenticationdata": {"status": "success"}}
    record = await stored_account_by_id(runtime, alice.id)
    assert (record.newpassword, record.newpass_time) == ("", None)
    assert record.password == alice.password


@pytest.mark.parametrize("request_id", [PASSWORD_REQUEST, "bogus"])
async def test_remove_refuses_other_requests(logged_in: Any, runtime: Any, alice: Any, request_id: str) -> None:
    error = (await remove(logged_in, request=request_id))["error"]
    assert (error["code"], error["info"]) == ("badrequest", "The change request could not be created.")
    assert (await stored_account_by_id(runtime, alice.id)).password == alice.password


async def test_remove_anonymous(api: Any) -> None:
    body = (await api.post(action="removeauthenticationdata", token="+\\", request=TEMPORARY_REQUEST)).json()
    assert (body["error"]["code"], body["error"]["info"]) == (
        "notloggedin", "Only logged-in users can remove authentication data.")
