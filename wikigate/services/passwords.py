"""Passwords of accounts: the policy that applies to a user, resets by mail, changes.

* The policy of a user is ``default`` made stricter by each of the user's groups
  (`wikigate.auth.policy`); anonymous users and names not yet registered get ``default``.
* A reset stores a random temporary password, hashed, in ``user.newpassword`` with
  ``user.newpass_time`` and mails it; the main password keeps working. The login with the
  temporary password belongs to the authentication manager, which reads those two columns.
  All of a reset's work runs in the background for known and unknown accounts alike, so the
  API's answer, and the time it takes, says nothing about which accounts exist.
* A change replaces the main password after the policy accepts it and ends any pending
  temporary password and the user's bot passwords, as MediaWiki does. Sessions survive.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wikigate import usernames
from wikigate.auth.policy import (
    DEFAULT_PASSWORD_POLICY,
    PolicyConfig,
    PolicyIssue,
    Setting,
    check_password,
    effective_policy,
)
from wikigate.config import Settings
from wikigate.mail import password_reset_mail
from wikigate.store.schema import bot_passwords, user
from wikigate.store.users import UserRecord

if TYPE_CHECKING:
    from wikigate.app import Services

# MediaWiki never hands out a random password shorter than this.
MIN_TEMPORARY_PASSWORD_LENGTH = 10
# The digits of base 32, the alphabet of MediaWiki's random passwords (easy to type).
_TEMPORARY_ALPHABET = "0123456789abcdefghijklmnopqrstuv"
_LENGTH_CHECKS = ("MinimalPasswordLength", "MinimumPasswordLengthToLogin")

AUTH_TIME_KEY = "auth_time"
"""Session key holding when the session's user last proved who they are (a login)."""


def policy_config(settings: Settings) -> PolicyConfig:
    return settings.password_policy or DEFAULT_PASSWORD_POLICY


def policy_for(settings: Settings, groups: Iterable[str]) -> dict[str, Setting]:
    """The merged policy of a member of ``groups`` (effective groups, implicit ones included)."""
    return effective_policy(groups, policy_config(settings))


def password_issues(settings: Settings, password: str, *, username: str,
                    groups: Iterable[str]) -> list[PolicyIssue]:
    """How ``password`` fails the policy of ``username`` (an IP address for anonymous users)."""
    return check_password(password, username=username, policy=policy_for(settings, groups))


def temporary_password_length(settings: Settings) -> int:
    """Long enough for every group's minimum, so a temporary password passes any policy's length."""
    length = MIN_TEMPORARY_PASSWORD_LENGTH
    for group_policy in policy_config(settings).values():
        for name in _LENGTH_CHECKS:
            setting = group_policy.get(name, 0)
            value = setting.get("value", 0) if isinstance(setting, dict) else setting
            length = max(length, int(value))
    return length


def new_temporary_password(settings: Settings) -> str:
    length = temporary_password_length(settings)
    return "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(length))


def is_valid_email(address: str) -> bool:
    """Syntax only: looking the domain up would make the answer depend on DNS.

    Addresses in private domains (``a@b``, ``x@wiki.test``) pass, as they do in MediaWiki;
    the reserved names ``localhost`` and ``.local`` do not.
    """
    try:
        validate_email(address, check_deliverability=False, globally_deliverable=False,
                       test_environment=True)
    except EmailNotValidError:
        return False
    return True


# -- resets ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResetRequest:
    """One ``resetpassword`` call: by ``username`` or by ``email`` (exactly one is set)."""

    username: str | None
    email: str | None
    requester_ip: str
    now: float


def start_reset(services: Services, request: ResetRequest) -> None:
    """Hand the whole reset to the background; returns at once whatever the request names."""
    services.mailer.run_later(send_reset(services, request), label="password reset")


async def send_reset(services: Services, request: ResetRequest) -> None:
    """Give every account the request names a temporary password and mail it.

    Nothing happens when no account matches or the accounts have no email address, and
    nothing happens either when one of them got a reset mail within
    ``password_reminder_resend_time`` hours: a pending temporary password is not replaced.
    """
    accounts = await _accounts_for(services, request)
    if not accounts or not accounts[0].email:
        return
    resend_after = services.settings.password_reminder_resend_time * 3600
    if any(_recently_reset(account, request.now, resend_after) for account in accounts):
        return
    for account in accounts:
        await _reset_one(services, account, request, resend_after)


async def _accounts_for(services: Services, request: ResetRequest) -> list[UserRecord]:
    if request.username is not None:
        name = usernames.canonical_name(request.username, services.namespaces, rigor="usable")
        found = await services.users.by_name(name) if name else None
        return [found] if found else []
    assert request.email is not None
    # The address must match as stored, as MediaWiki compares it byte for byte.
    return [record for record in await services.users.by_email(request.email)
            if record.email == request.email]


def _recently_reset(account: UserRecord, now: float, resend_after: float) -> bool:
    return account.newpass_time is not None and now < account.newpass_time + resend_after


async def _reset_one(services: Services, account: UserRecord, request: ResetRequest,
                     resend_after: float) -> None:
    settings = services.settings
    temporary = new_temporary_password(settings)
    stored = await asyncio.to_thread(services.hasher.hash, temporary)
    # The condition repeats the resend check inside the write, so two resets racing for
    # the same account store (and mail) one temporary password, not two.
    statement = (
        update(user)
        .where(user.c.id == account.id)
        .where(or_(user.c.newpass_time.is_(None), user.c.newpass_time <= request.now - resend_after))
        .values(newpassword=stored, newpass_time=request.now)
    )
    async with services.engine.begin() as connection:
        written = (await connection.execute(statement)).rowcount
    if not written:
        return
    services.mailer.send_later(password_reset_mail(
        sitename=settings.sitename,
        server_url=settings.public_server,
        to=account.email,
        requester_ip=request.requester_ip,
        accounts=[(account.name, temporary)],
        expiry_days=round(settings.new_password_expiry / 86400),
        sender=settings.password_sender,
    ))


# -- changes -----------------------------------------------------------------------------


class PasswordChangeError(Exception):
    """A change the policy or the form refuses; ``issues`` are MediaWiki's messages."""

    def __init__(self, issues: list[PolicyIssue]) -> None:
        super().__init__(", ".join(issue.code for issue in issues))
        self.issues = issues


def change_issues(settings: Settings, password: str, retype: str, *, username: str,
                  groups: Iterable[str]) -> list[PolicyIssue]:
    """Why a new password may not be set: retype mismatch first, then every policy failure.

    Unlike a login, a change accepts only a password that passes every check.
    """
    if not secrets.compare_digest(password.encode("utf-8", "surrogatepass"),
                                  retype.encode("utf-8", "surrogatepass")):
        return [PolicyIssue("badretype")]
    return password_issues(settings, password, username=username, groups=groups)


async def change_password(services: Services, record: UserRecord, password: str, retype: str, *,
                          groups: Iterable[str], now: float) -> None:
    """Set a new main password, or raise PasswordChangeError without touching anything."""
    issues = change_issues(services.settings, password, retype, username=record.name, groups=groups)
    if issues:
        raise PasswordChangeError(issues)
    stored = await asyncio.to_thread(services.hasher.hash, password)
    async with services.engine.begin() as connection:
        await connection.execute(
            update(user).where(user.c.id == record.id)
            .values(password=stored, newpassword="", newpass_time=None, touched=now)
        )
        await _void_bot_passwords(connection, record.id)


async def remove_temporary_password(services: Services, record: UserRecord, *, now: float) -> None:
    """Forget a pending temporary password; the main password is untouched."""
    async with services.engine.begin() as connection:
        await connection.execute(
            update(user).where(user.c.id == record.id)
            .values(newpassword="", newpass_time=None, touched=now)
        )
        await _void_bot_passwords(connection, record.id)


async def _void_bot_passwords(connection: AsyncConnection, user_id: int) -> None:
    # Bot passwords were granted under the old credentials: MediaWiki voids them whenever
    # the account's own credentials change, removals included. An empty hash never verifies.
    await connection.execute(
        update(bot_passwords).where(bot_passwords.c.user_id == user_id).values(password="")
    )


def recently_authenticated(settings: Settings, auth_time: float | None, now: float) -> bool:
    """Whether a login at ``auth_time`` is recent enough for a security-sensitive change."""
    return auth_time is not None and now - auth_time <= settings.reauthenticate_time
