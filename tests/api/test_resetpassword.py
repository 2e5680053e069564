"""action=resetpassword through HTTP, with mail delivered to a real in-process SMTP server."""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import replace
from email.message import EmailMessage
from typing import Any

import pytest

from tests.helpers import HASHER, stored_account
from wikigate.config import DEFAULT_GROUP_PERMISSIONS, Settings

OLD_PASSWORD = "Old-Password-4321"


@pytest.fixture
def settings(settings: Settings, smtp_server: Any) -> Settings:
    return smtp_server.route(settings)


@pytest.fixture
async def alice(make_user: Any) -> Any:
    return await make_user("Alice", OLD_PASSWORD, email="alice@example.org")


async def reset(api: Any, **params: Any) -> dict[str, Any]:
    response = await api.post(action="resetpassword", token="+\\", **params)
    return dict(response.json())


def temporary_password(message: EmailMessage) -> str:
    body = message.get_content()
    found = re.search(r"Temporary password: (\S+)", body)
    assert found, body
    return found.group(1)


SUCCESS = {"resetpassword": {"status": "success"}}


async def test_reset_by_name_mails_a_temporary_password_stored_hashed(
    api: Any, services: Any, runtime: Any, smtp_server: Any, alice: Any, clock: Any
) -> None:
    assert await reset(api, user="Alice") == SUCCESS
    await runtime.mailer.drain()

    [message] = smtp_server.messages
    assert smtp_server.recipients == [["alice@example.org"]]
    assert message["To"] == "alice@example.org"
    assert message["From"] == services.settings.password_sender
    assert "Alice" in message.get_content()
    # The address it gives is the login page, which takes the temporary password.
    assert f"{services.settings.public_server}/w/index.php/Special:UserLogin\r\n" in message.get_content()
    temporary = temporary_password(message)
    assert re.fullmatch(r"[0-9a-v]{10}", temporary)

    record = await stored_account(runtime, "Alice")
    assert record.newpass_time == clock.now()
    assert HASHER.verify(temporary, record.newpassword, user_id=record.id)
    assert temporary not in record.newpassword
    # The main password is untouched until the temporary one is used.
    assert record.password == alice.password
    assert HASHER.verify(OLD_PASSWORD, record.password, user_id=record.id)


async def test_second_reset_within_resend_time_sends_nothing(
    api: Any, runtime: Any, smtp_server: Any, alice: Any, clock: Any
) -> None:
    await reset(api, user="Alice")
    await runtime.mailer.drain()
    first = await stored_account(runtime, "Alice")

    clock.advance(23 * 3600)
    assert await reset(api, user="Alice") == SUCCESS
    await runtime.mailer.drain()
    assert len(smtp_server.messages) == 1
    assert (await stored_account(runtime, "Alice")).newpassword == first.newpassword

    clock.advance(3600)  # 24 hours after the first mail
    assert await reset(api, email="alice@example.org") == SUCCESS
    await runtime.mailer.drain()
    assert len(smtp_server.messages) == 2
    second = await stored_account(runtime, "Alice")
    assert second.newpass_time == clock.now()
    assert HASHER.verify(temporary_password(smtp_server.messages[1]), second.newpassword,
                                  user_id=second.id)


async def test_reset_by_email_mails_each_account_separately(
    api: Any, runtime: Any, smtp_server: Any, make_user: Any
) -> None:
    await make_user("Carol", "Carol-Password-1", email="shared@example.org")
    await make_user("Dave", "Dave-Password-1", email="shared@example.org")
    await make_user("Erin", "Erin-Password-1", email="erin@example.org")

    assert await reset(api, email="shared@example.org") == SUCCESS
    await runtime.mailer.drain()

    assert len(smtp_server.messages) == 2
    # The two mails are delivered side by side: either may arrive first.
    by_name = {name: message for message in smtp_server.messages for name in ("Carol", "Dave")
               if f"User name: {name}" in message.get_content()}
    assert sorted(by_name) == ["Carol", "Dave"]
    for name, message in by_name.items():
        record = await stored_account(runtime, name)
        assert HASHER.verify(temporary_password(message), record.newpassword, user_id=record.id)
    assert (await stored_account(runtime, "Erin")).newpassword == ""


@pytest.mark.parametrize("params", [
    {"user": "NoSuchUser"},
    {"email": "nobody@example.org"},
    {"email": "ALICE@example.org"},  # addresses match exactly, as in MediaWiki
    {"user": "Nomail"},
])
async def test_no_matching_account_answers_success_and_sends_nothing(
    api: Any, runtime: Any, smtp_server: Any, alice: Any, make_user: Any, params: dict[str, str]
) -> None:
    await make_user("Nomail", "Nomail-Password-1")
    assert await reset(api, **params) == SUCCESS
    await runtime.mailer.drain()
    assert smtp_server.messages == []
    for name in ("Alice", "Nomail"):
        record = await stored_account(runtime, name)
        assert (record.newpassword, record.newpass_time) == ("", None)


async def test_answer_does_not_wait_for_the_reset_work(
    api: Any, services: Any, runtime: Any, smtp_server: Any, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Known and unknown names get the same answer before any hashing or mail happens."""
    release = asyncio.Event()
    real = services.accounts.hash

    async def blocked_hash(password: str) -> str:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(release.wait(), 5)
        return await real(password)

    monkeypatch.setattr(services.accounts, "hash", blocked_hash)
    try:
        known = await api.post(action="resetpassword", token="+\\", user="Alice")
        unknown = await api.post(action="resetpassword", token="+\\", user="Nobody")
        assert known.json() == unknown.json() == SUCCESS
        assert known.headers.keys() == unknown.headers.keys()
        await asyncio.sleep(0.05)
        assert smtp_server.messages == []
        assert (await stored_account(runtime, "Alice")).newpassword == ""
    finally:
        release.set()
        await runtime.mailer.drain()
    assert len(smtp_server.messages) == 1


async def test_rate_limit_answers_success_but_sends_nothing(
    api: Any, runtime: Any, smtp_server: Any, alice: Any
) -> None:
    # mailpassword allows an IP address 5 resets an hour; MediaWiki pretends the 6th worked.
    for _ in range(5):
        assert await reset(api, user="Nobody") == SUCCESS
    assert await reset(api, user="Alice") == SUCCESS
    await runtime.mailer.drain()
    assert smtp_server.messages == []
    assert (await stored_account(runtime, "Alice")).newpassword == ""


async def test_rate_limit_is_per_ip(api: Any, new_api: Any, runtime: Any, smtp_server: Any,
                                    alice: Any) -> None:
    for _ in range(6):
        await reset(api, user="Nobody")
    other = new_api(ip="192.0.2.7")
    assert await reset(other, user="Alice") == SUCCESS
    await runtime.mailer.drain()
    assert len(smtp_server.messages) == 1
    assert "192.0.2.7" in smtp_server.messages[0].get_content()


async def error(api: Any, **params: Any) -> tuple[str, str]:
    response = await api.post(action="resetpassword", **params)
    body = response.json()
    assert "resetpassword" not in body
    assert response.headers["MediaWiki-API-Error"] == body["error"]["code"]
    return body["error"]["code"], body["error"]["info"]


@pytest.mark.parametrize(("params", "code", "info"), [
    ({"user": "Alice"}, "missingparam", 'The "token" parameter must be set.'),
    ({"user": "Alice", "token": "bogus"}, "badtoken", None),
    ({"token": "+\\"}, "passwordreset-nodata", "Neither a username nor an email address was given"),
    ({"token": "+\\", "email": ""}, "passwordreset-nodata", None),
    ({"token": "+\\", "user": "Alice", "email": "alice@example.org"}, "invalidparammix",
     'The parameters "user" and "email" can not be used together.'),
    ({"token": "+\\", "email": "not-an-email"}, "passwordreset-invalidemail", "The email address is not valid"),
    ({"token": "+\\", "email": "a@@example.org"}, "passwordreset-invalidemail", None),
    ({"token": "+\\", "user": ""}, "baduser", 'Invalid value "" for user parameter "user".'),
    ({"token": "+\\", "user": "Invalid|Name"}, "baduser", None),
    ({"token": "+\\", "user": "1.2.3.4"}, "baduser", None),
    ({"token": "+\\", "user": "#1"}, "baduser", None),
])
async def test_errors(api: Any, runtime: Any, smtp_server: Any, alice: Any, params: dict[str, str],
                      code: str, info: str | None) -> None:
    got_code, got_info = await error(api, **params)
    assert got_code == code
    if info is not None:
        assert got_info == info
    await runtime.mailer.drain()
    assert smtp_server.messages == []


async def test_must_be_posted(api: Any) -> None:
    body = (await api.get(action="resetpassword", user="Alice", token="+\\")).json()
    assert body["error"]["code"] == "mustpostparams"


async def test_errorformat_plaintext(api: Any) -> None:
    body = (await api.post(action="resetpassword", token="+\\", errorformat="plaintext",
                           formatversion="2")).json()
    assert body["errors"] == [{"code": "passwordreset-nodata", "module": "resetpassword",
                               "text": "Neither a username nor an email address was given"}]


async def test_logged_in_user_may_reset(api: Any, runtime: Any, smtp_server: Any, alice: Any,
                                        make_user: Any, session_for: Any, clock: Any) -> None:
    bob = await make_user("Bob", "Bob-Password-1")
    await session_for(api, bob, auth_time=clock.now())
    token = await api.token()
    body = (await api.post(action="resetpassword", token=token, user="Alice")).json()
    assert body == SUCCESS
    await runtime.mailer.drain()
    assert len(smtp_server.to("alice@example.org")) == 1


class TestConfiguration:
    @pytest.fixture
    def settings(self, settings: Settings, request: pytest.FixtureRequest) -> Settings:
        return replace(settings, **request.param)

    @pytest.mark.parametrize("settings", [{"password_reset_routes": {"username": False, "email": False}}],
                             indirect=True)
    async def test_no_routes_disables_the_module(self, api: Any) -> None:
        body = (await api.post(action="resetpassword", token="+\\", user="Alice")).json()
        assert body["error"]["code"] == "moduledisabled"

    @pytest.mark.parametrize("settings", [{"password_reset_routes": {"username": False, "email": True}}],
                             indirect=True)
    async def test_disabled_route_ignores_its_parameter(self, api: Any, runtime: Any, smtp_server: Any,
                                                         alice: Any) -> None:
        assert (await error(api, token="+\\", user="Alice"))[0] == "passwordreset-nodata"
        assert await reset(api, email="alice@example.org") == SUCCESS
        await runtime.mailer.drain()
        assert len(smtp_server.messages) == 1

    @pytest.mark.parametrize("settings", [{"enable_email": False}], indirect=True)
    async def test_email_disabled(self, api: Any) -> None:
        assert (await error(api, token="+\\", user="Alice"))[0] == "passwordreset-emaildisabled"

    @pytest.mark.parametrize("settings", [{"group_permissions": {
        **DEFAULT_GROUP_PERMISSIONS,
        "*": [right for right in DEFAULT_GROUP_PERMISSIONS["*"] if right != "editmyprivateinfo"],
    }}], indirect=True)
    async def test_needs_editmyprivateinfo(self, api: Any) -> None:
        assert (await error(api, token="+\\", user="Alice"))[0] == "badaccess"


async def clientlogin(api: Any, **params: Any) -> dict[str, Any]:
    if "logincontinue" not in params:
        params["loginreturnurl"] = "http://wiki.test/"
    params["logintoken"] = await api.token("login")
    return dict((await api.post(action="clientlogin", **params)).json()["clientlogin"])


async def test_mailed_temporary_password_completes_clientlogin(
    api: Any, new_api: Any, runtime: Any, smtp_server: Any, alice: Any
) -> None:
    pytest.importorskip("wikigate.api.modules.clientlogin")
    await reset(api, user="Alice")
    await runtime.mailer.drain()
    temporary = temporary_password(smtp_server.messages[0])
    # Until the temporary password is used, the old one still logs in.
    assert (await clientlogin(new_api(), username="Alice", password=OLD_PASSWORD))["status"] == "PASS"

    ui = await clientlogin(api, username="Alice", password=temporary)
    assert ui["status"] == "UI"
    assert set(ui["requests"][0]["fields"]) == {"password", "retype"}
    new = "Chosen-after-reset-42"
    done = await clientlogin(api, logincontinue="1", password=new, retype=new)
    assert done == {"status": "PASS", "username": "Alice"}

    # The chosen password now logs in; the temporary and the old one do not.
    assert (await clientlogin(new_api(), username="Alice", password=new))["status"] == "PASS"
    for stale in (temporary, OLD_PASSWORD):
        assert (await clientlogin(new_api(), username="Alice", password=stale))["status"] == "FAIL"
    # A fresh login counts as recent: the session may change the password right away.
    token = await api.token()
    changed = (await api.post(action="changeauthenticationdata", changeauthtoken=token,
                              changeauthrequest="MediaWiki\\Auth\\PasswordAuthenticationRequest",
                              password="Second-choice-pw-43", retype="Second-choice-pw-43")).json()
    assert changed == {"changeauthenticationdata": {"status": "success"}}
