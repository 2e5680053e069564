"""Passwords of accounts: the policy that applies to a user, resets by mail, changes.

* The policy of a user is ``default`` made stricter by each of the user's groups
  (`wikigate.auth.policy`); anonymous users and names not yet registered get ``default``.
* A reset stores a random temporary password, hashed, in ``user.newpassword`` with
  ``user.newpass_time`` and mails it; the main password keeps working. The login with the
  temporary password belongs to the authentication manager, which reads those two columns.
  All of a reset's work runs in the background for known and unknown accounts alike, so the
  API's answer, and the time it takes, says nothing about which accounts exist.
* A change replaces the main password after the policy accepts it, through
  `Accounts.change_password` (the one way a password changes): the pending temporary
  password and the bot passwords are voided and the user's other sessions end.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from wikigate.auth.policy import (
    DEFAULT_PASSWORD_POLICY,
    PolicyConfig,
    PolicyIssue,
    Setting,
    check_password,
    effective_policy,
)
from wikigate.config import Settings
from wikigate.mail import Mailer, password_reset_mail
from wikigate.randomness import Randomness
from wikigate.services.accounts import Accounts
from wikigate.services.blocks import Blocks
from wikigate.services.ratelimit import RateLimiter
from wikigate.services.users import User
from wikigate.store.users import UserRecord

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
            if isinstance(value, int):
                length = max(length, value)
    return length




def is_valid_email(address: str) -> bool:
    """Syntax only: looking the domain up would make the answer depend on DNS.

    Addresses in private domains (``a@b``, ``x@wiki.test``) pass, as they do in MediaWiki;
    the reserved names ``localhost`` and ``.local`` do not.
    """
    # Imported when first needed: most requests never check an address, and a server starts sooner.
    from email_validator import EmailNotValidError, validate_email

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


class ResetRefused(Exception):
    """A reset request refused before anything is looked up; `key` is MediaWiki's message (and code)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


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
    if not hmac.compare_digest(password.encode("utf-8", "surrogatepass"), retype.encode("utf-8", "surrogatepass")):
        return [PolicyIssue("badretype")]
    return password_issues(settings, password, username=username, groups=groups)


class Passwords:
    def __init__(self, settings: Settings, accounts: Accounts, mailer: Mailer, random: Randomness, blocks: Blocks,
                 rate_limiter: RateLimiter) -> None:
        self._settings = settings
        self._accounts = accounts
        self._mailer = mailer
        self._random = random
        self._blocks = blocks
        self._rate_limiter = rate_limiter

    async def change(self, record: UserRecord, password: str, retype: str, *, groups: Iterable[str]) -> str:
        """Set a new main password, or raise PasswordChangeError without touching anything.

        Returns the account's new token: the caller's session keeps it and stays logged in.
        """
        issues = change_issues(self._settings, password, retype, username=record.name, groups=groups)
        if issues:
            raise PasswordChangeError(issues)
        return await self._accounts.change_password(record, password)

    # -- resets --------------------------------------------------------------------

    async def request_reset(self, requester: User, request: ResetRequest) -> None:
        """A reset asked for by `requester` (action=resetpassword, Special:PasswordReset), checked in
        MediaWiki's order, then handed to the background; raises ResetRefused. Over the rate limit it
        is answered as if the mail went out, and nothing is sent."""
        if request.username is None and request.email is None:
            raise ResetRefused("passwordreset-nodata")
        if request.email is not None and not is_valid_email(request.email):
            raise ResetRefused("passwordreset-invalidemail")
        if not self._settings.enable_email:
            raise ResetRefused("passwordreset-emaildisabled")
        if not requester.has_right("editmyprivateinfo"):
            raise ResetRefused("badaccess")
        block = await self._blocks.active(requester, request.now)
        if block is not None and block.create_account:
            # Those a block keeps from creating accounts may not send reset mail either (MediaWiki's
            # appliesToPasswordReset); the account asked about does not matter.
            raise ResetRefused("blocked-mailpassword")
        if not await self._rate_limiter.exceeded(requester, "mailpassword", request.requester_ip):
            self.start_reset(request)

    def start_reset(self, request: ResetRequest) -> None:
        """Hand the whole reset to the background; returns at once whatever the request names."""
        self._mailer.run_later(self.send_reset(request), label="password reset")

    async def send_reset(self, request: ResetRequest) -> None:
        """Give every account the request names a temporary password and mail it.

        Nothing happens when no account matches or the accounts have no email address, and
        nothing happens either when one of them got a reset mail within
        ``password_reminder_resend_time`` hours: a pending temporary password is not replaced.
        """
        accounts = await self._accounts_for(request)
        if not accounts or not accounts[0].email:
            return
        resend_after = self._settings.password_reminder_resend_time * 3600
        if any(_recently_reset(account, request.now, resend_after) for account in accounts):
            return
        for account in accounts:
            await self._reset_one(account, request, resend_after)

    async def _accounts_for(self, request: ResetRequest) -> list[UserRecord]:
        if request.username is not None:
            found = await self._accounts.find(request.username)
            return [found] if found else []
        assert request.email is not None
        # The address must match as stored, as MediaWiki compares it byte for byte.
        return [record for record in await self._accounts.by_email(request.email) if record.email == request.email]

    async def _reset_one(self, account: UserRecord, request: ResetRequest, resend_after: float) -> None:
        settings = self._settings
        temporary = self._random.string(_TEMPORARY_ALPHABET, temporary_password_length(settings))
        stored = await self._accounts.hash(temporary)
        if not await self._accounts.store_temporary_password(account, stored, now=request.now,
                                                             resend_after=resend_after):
            return
        self._mailer.send_later(password_reset_mail(
            sitename=settings.sitename,
            server_url=f"{settings.public_server}{settings.script_path.rstrip('/')}/index.php/Special:UserLogin",
            to=account.email,
            requester_ip=request.requester_ip,
            accounts=[(account.name, temporary)],
            expiry_days=round(settings.new_password_expiry / 86400),
            sender=settings.password_sender,
        ))


def _recently_reset(account: UserRecord, now: float, resend_after: float) -> bool:
    return account.newpass_time is not None and now < account.newpass_time + resend_after


def recently_authenticated(settings: Settings, auth_time: float | None, now: float) -> bool:
    """Whether a login at ``auth_time`` is recent enough for a security-sensitive change."""
    return auth_time is not None and now - auth_time <= settings.reauthenticate_time
