"""Authentication providers, in MediaWiki's three stages.

* pre-authentication checks run before any credential is looked at (throttles);
* primary providers decide who the user is (a password, a temporary password);
  one that does not recognise the submission answers ABSTAIN;
* secondary providers run after a primary PASS and may ask for more (a second
  factor, a new password) before they PASS in turn.

Providers get everything through an `AuthEnvironment` and keep their state in
the flow dict, which the manager stores in the session between steps, so a
continuation can reach any server process. The manager looks the account up
once per request and hands the same `LoginAccount` to every provider.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from wikigate.auth.hashing import PasswordFactory
from wikigate.auth.policy import (
    DEFAULT_PASSWORD_POLICY,
    PolicyIssue,
    check_password,
    effective_policy,
)
from wikigate.auth.responses import AuthRequest, AuthResponse
from wikigate.auth.throttle import Counter
from wikigate.config import Settings
from wikigate.messages import Message
from wikigate.metrics import Metrics
from wikigate.store.database import Database
from wikigate.store.users import UserRecord
from wikigate.titles import Namespaces

Flow = dict[str, Any]
"""JSON-serialisable state of one login, kept in the session between steps."""


@dataclass(frozen=True, slots=True)
class LoginAccount:
    """An account as a login needs it: the stored record and its effective groups (for the policy)."""

    record: UserRecord
    groups: tuple[str, ...]
    autoblocking: bool = False  # a block of the account spreads to the addresses it logs in from


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    """What a login submitted: the name as canonicalised once (None: not a valid name)."""

    name: str | None
    password: str
    account: LoginAccount | None


class AccountDirectory(Protocol):
    """The account operations a login needs, provided by the services layer above."""

    async def login_account(self, name: str) -> LoginAccount | None: ...

    async def login_account_by_id(self, user_id: int) -> LoginAccount | None: ...

    async def change_password(self, record: UserRecord, password: str) -> str:
        """Set a new password; returns the account's new token."""
        ...

    async def upgrade_hash(self, record: UserRecord, password: str) -> None: ...

    async def autoblock_login(self, account: LoginAccount, ip: str, now: float) -> None:
        """Autoblock the address an autoblocked account just logged in from."""
        ...

    async def is_blocked(self, account: LoginAccount, ip: str, now: float) -> bool:
        """Whether a block stands in the account's way when it comes from `ip`."""
        ...


@dataclass(frozen=True, slots=True)
class AuthEnvironment:
    """What providers may use."""

    settings: Settings
    accounts: AccountDirectory
    database: Database
    kv: Counter
    hasher: PasswordFactory
    metrics: Metrics
    namespaces: Namespaces
    ip: str
    now: float

    async def verify(self, password: str, stored: str, *, user_id: int | None = None) -> bool:
        # Key stretching is deliberately slow: keep it off the event loop.
        return await asyncio.to_thread(self.hasher.verify, password, stored, user_id=user_id)

    async def policy_issues(self, password: str, username: str, groups: Iterable[str]) -> list[PolicyIssue]:
        policy = effective_policy(groups, self.settings.password_policy or DEFAULT_PASSWORD_POLICY)
        return check_password(password, username=username, policy=policy)


def issue_message(issue: PolicyIssue) -> Message:
    return Message(issue.code, issue.params)


def status_message(issues: Sequence[PolicyIssue], context: str | None = None) -> Message:
    """Several issues as one message, the way MediaWiki's Status shows them.

    One issue is its own message, inside `context` when given; several become a
    bulleted list (without the context, as MediaWiki does it).
    """
    if len(issues) == 1:
        single = issue_message(issues[0])
        return Message(context, (single,)) if context else single
    template = "\n".join(f"* ${index}" for index in range(1, len(issues) + 1))
    return Message("", tuple(issue_message(issue) for issue in issues), fallback=template)


class PrimaryProvider:
    """Decides who the user is from the login submission; ABSTAIN when it cannot tell."""

    name = "primary"

    async def begin(self, env: AuthEnvironment, attempt: LoginAttempt | None, flow: Flow) -> AuthResponse:
        return AuthResponse.abstain()


class SecondaryProvider:
    """Runs after a primary PASS; may ask for more through UI before it passes."""

    name = "secondary"

    async def begin(self, env: AuthEnvironment, account: LoginAccount, flow: Flow) -> AuthResponse:
        return AuthResponse.abstain()

    async def proceed(self, env: AuthEnvironment, account: LoginAccount, flow: Flow,
                      submission: dict[str, str]) -> AuthResponse:
        # Only a provider that answered UI is continued, and such a provider overrides this.
        raise NotImplementedError(f"{self.name} never asked for more input")

    def requests(self, user: UserRecord, flow: Flow) -> list[AuthRequest]:
        """What a continuation may submit to this provider (while it waits for input)."""
        return []
