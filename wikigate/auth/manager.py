"""The authentication manager: logins and account creations in steps, as MediaWiki's AuthManager.

Login. `begin_authentication` takes the submitted fields and runs, in order:
the pre-authentication checks (the password-attempt throttle), the primary
providers until one answers something other than ABSTAIN (temporary password,
then main password), and after a primary PASS the secondary providers (two-
factor, then a password reset). A secondary that needs more from the client
answers UI; the flow then waits in the session under `STATE_KEY`, and
`continue_authentication` resumes it with the client's next submission. The
login is complete when every secondary has passed or abstained; the answer is
PASS with the user, and the caller binds the session to that user.

Account creation. `begin_account_creation` checks the creator's right, the
name, the creation throttle and the password, then creates the account. No
provider here ever pauses a creation, so `continue_account_creation` only
reports that none is in progress.

Each answer is an `AuthResponse`: PASS, FAIL, UI, REDIRECT or RESTART.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from wikigate import usernames
from wikigate.auth.providers import (
    AuthEnvironment,
    Flow,
    LoginAccount,
    LoginAttempt,
    PrimaryProvider,
    SecondaryProvider,
    status_message,
)
from wikigate.auth.providers.blocks import CheckBlocksSecondary, CheckLockSecondary
from wikigate.auth.providers.password import (
    LocalPasswordPrimary,
    TemporaryPasswordPrimary,
)
from wikigate.auth.providers.reset import ResetPasswordSecondary
from wikigate.auth.providers.throttle import ThrottlePreAuthentication
from wikigate.auth.providers.totp import TotpSecondary
from wikigate.auth.responses import (
    AuthRequest,
    AuthResponse,
    AuthStatus,
    change_password_request,
    create_password_request,
    creation_reason_request,
    password_request,
    remember_me_request,
    temporary_password_request,
    user_data_request,
    username_request,
)
from wikigate.messages import Message
from wikigate.store.users import UserRecord

STATE_KEY = "AuthManager::authnState"


class Action(StrEnum):
    LOGIN = "login"
    LOGIN_CONTINUE = "login-continue"
    CREATE = "create"
    CREATE_CONTINUE = "create-continue"
    LINK = "link"
    LINK_CONTINUE = "link-continue"
    CHANGE = "change"
    REMOVE = "remove"
    UNLINK = "unlink"


class StateStore(Protocol):
    """Where a paused flow waits: the session."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...

    def pop(self, key: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Creator:
    """Who asks for a new account."""

    id: int
    name: str
    rights: frozenset[str]
    # Why a block keeps them from creating accounts (a block with nocreate), if one does.
    blocked: Message | None = None

    @property
    def is_anon(self) -> bool:
        return self.id == 0


@dataclass(frozen=True, slots=True)
class NewAccount:
    name: str
    password: str
    email: str
    real_name: str
    reason: str


CreateUser = Callable[[NewAccount, Creator], Awaitable[UserRecord | None]]
"""Creates the account (and logs it); None when the name was taken meanwhile."""


class AuthManager:
    def __init__(self, env: AuthEnvironment, state: StateStore, *,
                 primaries: Sequence[PrimaryProvider] = (TemporaryPasswordPrimary(), LocalPasswordPrimary()),
                 secondaries: Sequence[SecondaryProvider] = (CheckLockSecondary(), CheckBlocksSecondary(),
                                                             TotpSecondary(), ResetPasswordSecondary())) -> None:
        self.env = env
        self.state = state
        self.pre = ThrottlePreAuthentication()
        self.primaries = tuple(primaries)
        self.secondaries = tuple(secondaries)
        self._paused_account: LoginAccount | None = None
        # How long "Keep me logged in" keeps one, as its label says.
        self._remember_days = env.settings.extended_login_cookie_expiration // 86400

    # -- what a client may submit ------------------------------------------------

    async def requests_for(self, action: Action, *, creator_is_anon: bool = True,
                           account: str = "") -> list[AuthRequest]:
        """The requests an action needs; `account` names the logged-in user they are for."""
        if action is Action.LOGIN:
            return [password_request(account=account), remember_me_request(self._remember_days)]
        if action is Action.LOGIN_CONTINUE:
            return await self._continue_requests()
        if action is Action.CREATE:
            if creator_is_anon:
                return [create_password_request(), username_request(), user_data_request()]
            # Someone logged in may create an account for another person, with a mailed password.
            return [temporary_password_request(), create_password_request(), username_request(),
                    user_data_request(), creation_reason_request()]
        if action is Action.CHANGE:
            return [change_password_request(account=account)]
        if action is Action.REMOVE:
            return [temporary_password_request(account=account)]
        return []

    async def _continue_requests(self) -> list[AuthRequest]:
        flow = self.state.get(STATE_KEY)
        if not flow or flow.get("waiting") is None:
            return []
        account = await self._flow_account(flow)
        if account is None:
            return []
        return self._secondary(flow["waiting"]).requests(account.record, flow)

    async def _flow_account(self, flow: Flow) -> LoginAccount | None:
        """The account of a paused login, read once per request (the listing and the step share it)."""
        if self._paused_account is None or self._paused_account.record.id != flow["user_id"]:
            self._paused_account = await self.env.accounts.login_account_by_id(flow["user_id"])
        return self._paused_account

    # -- login -------------------------------------------------------------------

    async def begin_authentication(self, submission: dict[str, str], *, return_url: str) -> AuthResponse:
        self.state.pop(STATE_KEY)
        env = self.env
        username = submission.get("username") or ""
        # Canonical once: the throttle, the lookup and every provider use this name.
        name = usernames.canonical_name(username, env.namespaces, rigor="usable") if username else None
        throttle_name = name or username
        refused = await self.pre.test_for_authentication(env, throttle_name)
        if refused is not None:
            return AuthResponse.fail(refused)
        credentials = password_request().load(submission)
        attempt = None
        if credentials is not None:
            account = await env.accounts.login_account(name) if name else None
            attempt = LoginAttempt(name, str(credentials["password"]), account)
        remember = bool((remember_me_request(self._remember_days).load(submission) or {}).get("rememberMe"))
        flow: Flow = {"return_url": return_url, "remember": remember, "done": [], "waiting": None,
                      "throttle_name": throttle_name}
        result = AuthResponse.abstain()
        for provider in self.primaries:
            result = await provider.begin(env, attempt, flow)
            if not result.is_abstain:
                break
        if result.is_abstain:
            return AuthResponse.fail(Message("authmanager-authn-no-primary"))
        if result.status is not AuthStatus.PASS:
            return result
        if attempt is None or attempt.account is None or attempt.account.record.id != result.user_id:
            return AuthResponse.fail(Message("authmanager-authn-no-primary"))
        user = attempt.account.record
        flow.update(user_id=user.id, username=user.name, autoblocking=attempt.account.autoblocking)
        return await self._run_secondaries(attempt.account, flow, None)

    async def continue_authentication(self, submission: dict[str, str]) -> AuthResponse:
        flow = self.state.get(STATE_KEY)
        account = await self._flow_account(flow) if flow else None
        if flow is None or account is None:
            self.state.pop(STATE_KEY)
            return AuthResponse.fail(Message("authmanager-authn-not-in-progress"))
        return await self._run_secondaries(account, dict(flow), submission)

    async def _run_secondaries(self, account: LoginAccount, flow: Flow,
                               submission: dict[str, str] | None) -> AuthResponse:
        for provider in self.secondaries:
            if provider.name in flow["done"]:
                continue
            if flow["waiting"] == provider.name and submission is not None:
                result = await provider.proceed(self.env, account, flow, submission)
            else:
                result = await provider.begin(self.env, account, flow)
            if result.status in (AuthStatus.UI, AuthStatus.REDIRECT):
                flow["waiting"] = provider.name
                self.state.set(STATE_KEY, flow)
                return result
            if result.status in (AuthStatus.FAIL, AuthStatus.RESTART):
                self.state.pop(STATE_KEY)
                return result
            flow["done"] = [*flow["done"], provider.name]
            flow["waiting"] = None
        self.state.pop(STATE_KEY)
        await self.pre.post_authentication(self.env, flow.get("throttle_name") or account.record.name)
        if flow.get("autoblocking"):
            await self.env.accounts.autoblock_login(replace(account, autoblocking=True), self.env.ip, self.env.now)
        # A password changed during the login gave the account a new token.
        record = replace(account.record, token=flow.get("token", account.record.token))
        return AuthResponse.passed(record.name, user_id=record.id, remember=bool(flow["remember"]), account=record)

    def _secondary(self, name: str) -> SecondaryProvider:
        return next(provider for provider in self.secondaries if provider.name == name)

    # -- account creation --------------------------------------------------------

    async def begin_account_creation(self, creator: Creator, submission: dict[str, str], *,
                                     create_user: CreateUser) -> AuthResponse:
        env = self.env
        if "createaccount" not in creator.rights:
            allowed = [group for group, rights in env.settings.group_permissions.items() if "createaccount" in rights]
            return AuthResponse.fail(Message("badaccess-groups", (", ".join(allowed), len(allowed))))
        if creator.blocked is not None:
            return AuthResponse.fail(creator.blocked)
        name = usernames.canonical_name(submission.get("username", ""), env.namespaces, rigor="creatable")
        if name is None:
            return AuthResponse.fail(Message("noname"))
        if await env.accounts.login_account(name) is not None:
            return AuthResponse.fail(Message("userexists"))
        refused = await self.pre.test_for_account_creation(env, exempt="noratelimit" in creator.rights)
        if refused is not None:
            return AuthResponse.fail(refused)
        if not creator.is_anon and "mailpassword" in submission:
            # MediaWiki 1.39 looks for the address on the account before it has one, so asking
            # for a mailed password always ends here, with or without an email given.
            return AuthResponse.fail(Message("noemailcreate"))
        credentials = create_password_request().load(submission)
        if credentials is not None:
            password, retype = str(credentials["password"]), str(credentials["retype"])
            if password != retype:
                return AuthResponse.fail(Message("badretype"))
            # A new account's groups are the implicit ones; its password must pass every check.
            issues = await env.policy_issues(password, name, ("*", "user"))
            if issues:
                return AuthResponse.fail(status_message(issues))
        if credentials is None:
            return AuthResponse.fail(Message("authmanager-create-no-primary"))
        data = user_data_request().load(submission) or {}
        reason = (creation_reason_request().load(submission) or {}).get("reason", "") if not creator.is_anon else ""
        account = NewAccount(name=name, password=password, email=str(data.get("email", "")),
                             real_name=str(data.get("realname", "")), reason=str(reason))
        record = await create_user(account, creator)
        if record is None:
            return AuthResponse.fail(Message("userexists"))
        return AuthResponse.passed(record.name, user_id=record.id, account=record)

    async def continue_account_creation(self) -> AuthResponse:
        return AuthResponse.fail(Message("authmanager-create-not-in-progress"))
