"""services/passwords.py: policy per user, temporary passwords, resets (outbox), changes."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import HASHER, stored_account, stored_account_by_id, update_account
from wikigate.config import Settings
from wikigate.services import passwords
from wikigate.services.passwords import PasswordChangeError, ResetRequest


def codes(issues: list[Any]) -> list[str]:
    return [issue.code for issue in issues]


def test_policy_depends_on_groups(settings: Settings) -> None:
    assert passwords.policy_for(settings, ("*",))["MinimalPasswordLength"] == {
        "value": 1, "suggestChangeOnLogin": True}
    sysop = passwords.policy_for(settings, ("sysop", "*", "user", "autoconfirmed"))
    assert sysop["MinimalPasswordLength"] == {"value": 10, "suggestChangeOnLogin": True}
    assert sysop["MinimumPasswordLengthToLogin"] == 1


def test_password_issues_use_the_name_and_groups(settings: Settings) -> None:
    assert codes(passwords.password_issues(settings, "zq-mindy", username="Mindy", groups=("*",))) == []
    assert codes(passwords.password_issues(settings, "zq-mindy", username="Mindy", groups=("sysop",))) == [
        "passwordtooshort"]
    assert codes(passwords.password_issues(settings, "0.0", username="10.0.0.1", groups=("*",))) == [
        "password-substring-username-match"]


STRICT_POLICY = {
    "default": {"MinimalPasswordLength": 4},
    "bot": {"MinimumPasswordLengthToLogin": {"value": 16, "forceChange": True}},
}


def test_temporary_password_covers_every_group_minimum(settings: Settings) -> None:
    assert passwords.temporary_password_length(settings) == 10
    strict = replace(settings, password_policy=STRICT_POLICY)
    assert passwords.temporary_password_length(strict) == 16


@pytest.mark.configure(lambda settings: replace(settings, password_policy=STRICT_POLICY))
async def test_reset_mails_temporary_passwords_of_that_length(services: Any, runtime: Any, make_user: Any,
                                                               clock: Any) -> None:
    await make_user("Carol", "Carol-Password-1", email="shared@example.org")
    await make_user("Dave", "Dave-Password-1", email="shared@example.org")
    await services.passwords.send_reset(ResetRequest(username=None, email="shared@example.org",
                                                     requester_ip="203.0.113.5", now=clock.now()))
    await runtime.mailer.drain()
    first, second = (temporary_password(message) for message in outbox(services.settings))
    for password in (first, second):
        assert len(password) == 16
        assert set(password) <= set("0123456789abcdefghijklmnopqrstuv")
    assert first != second


@pytest.mark.parametrize(("address", "valid"), [
    ("user@example.org", True),
    ("first.last+tag@sub.example.co.uk", True),
    ("user@intranet", True),
    ("user@wiki.test", True),
    ("Jörg@bücher.example", True),
    ("not-an-email", False),
    ("a@@example.org", False),
    ("a b@example.org", False),
    ("@example.org", False),
    ("user@", False),
    ("", False),
])
def test_email_syntax(address: str, valid: bool) -> None:
    assert passwords.is_valid_email(address) is valid


def test_change_issues_retype_first(settings: Settings) -> None:
    assert codes(passwords.change_issues(settings, "password", "Password", username="Al", groups=("*",))) == [
        "badretype"]
    assert codes(passwords.change_issues(settings, "password", "password", username="Al", groups=("*",))) == [
        "passwordincommonlist"]


def test_recently_authenticated(settings: Settings) -> None:
    now = 1_000_000.0
    assert passwords.recently_authenticated(settings, now - 3600, now)
    assert not passwords.recently_authenticated(settings, now - 3601, now)
    assert not passwords.recently_authenticated(settings, None, now)


def outbox(settings: Settings) -> list[Any]:
    files = sorted(Path(settings.data_dir, "outbox").glob("*.eml"))
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]


def temporary_password(message: Any) -> str:
    return str(message.get_content().split("Temporary password: ", 1)[1].split()[0])


async def test_reset_without_smtp_goes_to_the_outbox(services: Any, runtime: Any, make_user: Any,
                                                     clock: Any) -> None:
    record = await make_user("Alice", "Alice-Password-1", email="alice@example.org")
    await services.passwords.send_reset(ResetRequest(username="alice", email=None,
                                                     requester_ip="203.0.113.5", now=clock.now()))
    await runtime.mailer.drain()
    [message] = outbox(services.settings)
    body = message.get_content()
    assert message["To"] == "alice@example.org"
    assert "203.0.113.5" in body and "7 days" in body
    temporary = temporary_password(message)
    stored = await stored_account_by_id(runtime, record.id)
    assert HASHER.verify(temporary, stored.newpassword)
    assert stored.newpass_time == clock.now()


async def test_reset_skips_everyone_when_one_account_was_just_reset(
    services: Any, runtime: Any, make_user: Any, clock: Any
) -> None:
    first = await make_user("Carol", "Carol-Password-1", email="shared@example.org")
    await make_user("Dave", "Dave-Password-1", email="shared@example.org")
    await update_account(runtime, first.id, newpassword="pending", newpass_time=clock.now() - 3600)
    await services.passwords.send_reset(ResetRequest(username=None, email="shared@example.org",
                                                     requester_ip="203.0.113.5", now=clock.now()))
    await runtime.mailer.drain()
    assert outbox(services.settings) == []
    assert (await stored_account(runtime, "Dave")).newpassword == ""


async def test_change_password(services: Any, runtime: Any, make_user: Any) -> None:
    record = await make_user("Alice", "Alice-Password-1")
    with pytest.raises(PasswordChangeError) as refused:
        await services.passwords.change(record, "Alice", "Alice", groups=("*",))
    assert codes(refused.value.issues) == ["password-substring-username-match", "passwordincommonlist"]
    assert await stored_account_by_id(runtime, record.id) == record  # a refused change touches nothing
    token = await services.passwords.change(record, "Quite-new-pw-9", "Quite-new-pw-9", groups=("*",))
    stored = await stored_account_by_id(runtime, record.id)
    assert HASHER.verify("Quite-new-pw-9", stored.password)
    # The one password change ends the account's other sessions: the caller keeps the new token.
    assert stored.token == token != record.token
