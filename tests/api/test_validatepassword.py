"""action=validatepassword through HTTP; expected answers are MediaWiki 1.39's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from wikigate.config import Settings


async def validate(api: Any, **params: Any) -> dict[str, Any]:
    response = await api.post(action="validatepassword", **params)
    return dict(response.json())


def bc(*codes_and_params: tuple[str, list[Any]]) -> list[dict[str, Any]]:
    return [{"message": code, "params": params, "code": code, "type": "error"}
            for code, params in codes_and_params]


COMMON = ("passwordincommonlist", [])
SUBSTRING = ("password-substring-username-match", [])


@pytest.mark.parametrize(("password", "validity", "messages"), [
    ("foobar", "Change", bc(COMMON)),
    ("password", "Change", bc(COMMON)),
    ("Alice", "Change", bc(COMMON)),
    ("a-much-better-passw0rd!", "Good", None),
    ("x", "Good", None),  # 1.39's default minimum length is 1
    ("a" * 4097, "Invalid", bc(("passwordtoolong", [4096]))),
    ("ExamplePassword", "Change", bc(("password-login-forbidden", []))),
    # An anonymous user is named by IP address (127.0.0.1 here).
    ("27.0", "Change", bc(SUBSTRING)),
])
async def test_anonymous(api: Any, password: str, validity: str, messages: Any) -> None:
    expected: dict[str, Any] = {"validity": validity}
    if messages:
        expected["validitymessages"] = messages
    assert await validate(api, password=password) == {"validatepassword": expected}


@pytest.mark.parametrize(("params", "validity", "messages"), [
    ({"password": "Bobbie", "user": "Bobbie"}, "Change", bc(SUBSTRING)),
    ({"password": "obbi", "user": "bobbie"}, "Change", bc(SUBSTRING)),  # the canonical name counts
    ({"password": "short1", "user": "Bobbie", "email": "bob@example.org", "realname": "Bob"},
     "Change", bc(COMMON)),
    ({"password": "Passpass", "user": "Useruser"}, "Change", bc(("password-login-forbidden", []))),
    ({"password": "whatever-123", "user": "bobbie"}, "Good", None),
])
async def test_new_user(api: Any, params: dict[str, str], validity: str, messages: Any) -> None:
    expected: dict[str, Any] = {"validity": validity}
    if messages:
        expected["validitymessages"] = messages
    assert await validate(api, **params) == {"validatepassword": expected}


async def test_current_user_and_groups(api: Any, make_user: Any, session_for: Any, clock: Any) -> None:
    mindy = await make_user("Mindy", "Mindy-Password-1234", groups=("sysop",))
    await session_for(api, mindy, auth_time=clock.now())
    # Sysops need 10 characters; the name Mindy counts against the password.
    assert await validate(api, password="mindy", errorformat="plaintext") == {"validatepassword": {
        "validity": "Change",
        "validitymessages": [
            {"code": "passwordtooshort", "*": "A password needs at least 10 characters."},
            {"code": "password-substring-username-match", "*": "The password must not be part of the username."},
            {"code": "passwordincommonlist", "*": (
                "This password is one of the most commonly used passwords. Please pick a less predictable one.")},
        ],
    }}
    # With `user`, the policy is that of a new account, whoever asks.
    body = await validate(api, password="zq-mindy")
    assert body["validatepassword"]["validitymessages"] == bc(("passwordtooshort", [10]))
    assert await validate(api, password="zq-mindy", user="Newcomer") == {"validatepassword": {"validity": "Good"}}


@pytest.mark.parametrize(("errorformat", "formatversion", "entry"), [
    ("bc", "2", {"message": "passwordtoolong", "params": [4096], "code": "passwordtoolong", "type": "error"}),
    ("plaintext", "1", {"code": "passwordtoolong", "*": "A password may have at most 4096 characters."}),
    ("plaintext", "2", {"code": "passwordtoolong", "text": "A password may have at most 4096 characters."}),
    ("wikitext", "2", {"code": "passwordtoolong", "text": "A password may have at most 4096 characters."}),
    ("html", "2", {"code": "passwordtoolong", "html": "A password may have at most 4096 characters."}),
    ("raw", "1", {"code": "passwordtoolong", "key": "passwordtoolong", "params": [4096]}),
    ("raw", "2", {"code": "passwordtoolong", "key": "passwordtoolong", "params": [4096]}),
    ("none", "2", {"code": "passwordtoolong"}),
])
async def test_validitymessages_follow_errorformat(api: Any, errorformat: str, formatversion: str,
                                                   entry: dict[str, Any]) -> None:
    body = await validate(api, password="a" * 4097, errorformat=errorformat, formatversion=formatversion)
    assert body == {"validatepassword": {"validity": "Invalid", "validitymessages": [entry]}}


async def errors(api: Any, **params: Any) -> dict[str, Any]:
    response = await api.post(action="validatepassword", **params)
    body = dict(response.json())
    assert response.headers["MediaWiki-API-Error"] == body["error"]["code"]
    return dict(body["error"])


async def test_existing_user(api: Any, make_user: Any) -> None:
    alice = await make_user("Alice", "Alice-Password-1234")
    for name in ("Alice", "alice", f"#{alice.id}"):
        error = await errors(api, password="Alice", user=name)
        assert (error["code"], error["info"]) == (
            "userexists", "This username is already taken.\nPlease pick another one.")
    body = (await api.post(action="validatepassword", password="Alice", user="Alice",
                           errorformat="plaintext", formatversion="2")).json()
    assert body["errors"] == [{"code": "userexists", "module": "validatepassword",
                               "text": "This username is already taken.\nPlease pick another one."}]


@pytest.mark.parametrize(("params", "code", "info"), [
    ({"password": "whatever-123", "user": "Invalid|Name"}, "baduser",
     'Invalid value "Invalid|Name" for user parameter "user".'),
    ({"password": "whatever-123", "user": "1.2.3.4"}, "baduser", None),
    ({"password": "whatever-123", "user": "Foo@bar"}, "baduser_user",
     'Invalid value "Foo@bar" for user parameter "user".'),
    ({"password": "whatever-123", "user": "#99999"}, "baduser_user",
     'Invalid value "Unknown user" for user parameter "user".'),
    ({}, "missingparam", 'The "password" parameter must be set.'),
    ({"password": ""}, "missingparam", 'The "password" parameter must be set.'),
])
async def test_errors(api: Any, params: dict[str, str], code: str, info: str | None) -> None:
    error = await errors(api, **params)
    assert error["code"] == code
    if info is not None:
        assert error["info"] == info


async def test_must_be_posted(api: Any) -> None:
    body = (await api.get(action="validatepassword", password="foobar")).json()
    assert body["error"]["code"] == "mustbeposted"


async def test_password_in_the_query_string_is_refused(api: Any) -> None:
    body = (await api.post(query={"password": "foobar"}, action="validatepassword")).json()
    assert body["error"]["code"] == "mustpostparams"


class TestConfiguredPolicy:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, password_policy={
            "default": {"MinimalPasswordLength": 8, "MinimumPasswordLengthToLogin": 3,
                        "PasswordNotInCommonList": False},
            "sysop": {"MinimalPasswordLength": {"value": 14, "forceChange": True}},
        })

    @pytest.mark.parametrize(("password", "validity", "messages"), [
        ("abcdefgh", "Good", None),  # common, but this wiki does not check
        ("abcdefg", "Change", bc(("passwordtooshort", [8]))),
        ("ab", "Invalid", bc(("passwordtooshort", [8]), ("passwordtooshort", [3]))),
    ])
    async def test_default_group(self, api: Any, password: str, validity: str, messages: Any) -> None:
        expected: dict[str, Any] = {"validity": validity}
        if messages:
            expected["validitymessages"] = messages
        assert await validate(api, password=password, user="Newcomer") == {"validatepassword": expected}

    async def test_strictest_group_wins(self, api: Any, make_user: Any, session_for: Any, clock: Any) -> None:
        admin = await make_user("Admin", "Admin-Password-1234", groups=("sysop",))
        await session_for(api, admin, auth_time=clock.now())
        body = await validate(api, password="abcdefghij")
        assert body == {"validatepassword": {"validity": "Change",
                                             "validitymessages": bc(("passwordtooshort", [14]))}}
