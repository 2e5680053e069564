"""services/passwords.py: policy per user, temporary passwords, resets (outbox), changes."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

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


def test_temporary_password_covers_every_group_minimum(settings: Settings) -> None:
    assert passwords.temporary_password_length(settings) == 10
    strict = replace(settings, password_policy={
        "default": {"MinimalPasswordLength": 4},
        "bot": {"MinimumPasswordLengthToLogin": {"value": 16, "forceChange": True}},
    })
    assert passwords.temporary_password_length(strict) == 16
    password = passwords.new_temporary_password(strict)
    assert len(password) == 16
    assert set(password) <= set("0123456789abcdefghijklmnopqrstuv")
    assert passwords.new_temporary_password(strict) != password


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


async def test_reset_without_smtp_goes_to_the_outbox(services: Any, make_user: Any, clock: Any) -> None:
    record = await make_user("Alice", "Alice-Password-1", email="alice@example.org")
    await passwords.send_reset(services, ResetRequest(username="alice", email=None,
                                                      requester_ip="203.0.113.5", now=clock.now()))
    await services.mailer.drain()
    [message] = outbox(services.settings)
    body = message.get_content()
    assert message["To"] == "alice@example.org"
    assert "203.0.113.5" in body and "7 days" in body
    temporary = body.split("Temporary password: ", 1)[1].split()[0]
    stored = await services.users.by_id(record.id)
    assert services.hasher.verify(temporary, stored.newpassword)
    assert stored.newpass_time == clock.now()


async def test_reset_skips_everyone_when_one_account_was_just_reset(
    services: Any, make_user: Any, clock: Any
) -> None:
    first = await make_user("Carol", "Carol-Password-1", email="shared@example.org")
    await make_user("Dave", "Dave-Password-1", email="shared@example.org")
    await services.users.update(first.id, newpassword="pending", newpass_time=clock.now() - 3600)
    await passwords.send_reset(services, ResetRequest(username=None, email="shared@example.org",
                                                      requester_ip="203.0.113.5", now=clock.now()))
    await services.mailer.drain()
    assert outbox(services.settings) == []
    assert (await services.users.by_name("Dave")).newpassword == ""


async def test_change_password(services: Any, make_user: Any, clock: Any) -> None:
    record = await make_user("Alice", "Alice-Password-1")
    with pytest.raises(PasswordChangeError) as refused:
        await passwords.change_password(services, record, "Alice", "Alice", groups=("*",), now=clock.now())
    assert codes(refused.value.issues) == ["password-substring-username-match", "passwordincommonlist"]
    await passwords.change_password(services, record, "Quite-new-pw-9", "Quite-new-pw-9",
                                    groups=("*",), now=clock.now())
    stored = await services.users.by_id(record.id)
    assert services.hasher.verify("Quite-new-pw-9", stored.password)
    assert stored.token == record.token  # other sessions are not ended, as in MediaWiki
