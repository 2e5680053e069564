"""Primary providers: the temporary password from a reset mail, then the main password.

The temporary one is tried first and is not authoritative: when it does not
match it abstains, so the main password still gets its chance. The main one is
authoritative: an unknown user and a wrong password fail alike (`wrongpassword`),
and an unknown user costs the same hashing time, so neither the answer nor its
timing tells which accounts exist.
"""

from __future__ import annotations

import asyncio
from typing import Any

from wikigate.auth.policy import LoginAction, PolicyIssue, login_action
from wikigate.auth.providers import (
    AuthEnvironment,
    Flow,
    LoginAccount,
    LoginAttempt,
    PrimaryProvider,
    status_message,
)
from wikigate.auth.responses import AuthResponse
from wikigate.messages import Message


def wrong_password(password: str) -> Message:
    return Message("wrongpasswordempty" if password == "" else "wrongpassword")


def set_reset(flow: Flow, message: Message, *, hard: bool) -> None:
    """Ask the reset-password secondary to demand (hard) or offer (soft) a new password."""
    flow["reset"] = {"message": _dump(message), "hard": hard}


def reset_message(flow: Flow) -> Message:
    return _load(flow["reset"]["message"])


def _dump(message: Message) -> dict[str, Any]:
    return {"key": message.key, "fallback": message.fallback,
            "params": [_dump(p) if isinstance(p, Message) else p for p in message.params]}


def _load(data: dict[str, Any]) -> Message:
    params = tuple(_load(p) if isinstance(p, dict) else p for p in data["params"])
    return Message(data["key"], params, fallback=data["fallback"])


async def _login_issues(env: AuthEnvironment, account: LoginAccount, password: str) -> list[PolicyIssue]:
    return await env.policy_issues(password, account.record.name, account.groups)


def _fatal(issues: list[PolicyIssue]) -> AuthResponse | None:
    if login_action(issues) is LoginAction.FAIL:
        return AuthResponse.fail(status_message(issues))
    return None


class TemporaryPasswordPrimary(PrimaryProvider):
    name = "temporary-password"

    async def begin(self, env: AuthEnvironment, attempt: LoginAttempt | None, flow: Flow) -> AuthResponse:
        account = attempt.account if attempt is not None else None
        if attempt is None or account is None or not account.record.newpassword:
            return AuthResponse.abstain()
        record = account.record
        issues = await _login_issues(env, account, attempt.password)
        if (failed := _fatal(issues)) is not None:
            return failed
        if not await env.verify(attempt.password, record.newpassword):
            return AuthResponse.abstain()
        sent = record.newpass_time or 0
        if env.now >= sent + env.settings.new_password_expiry:
            return AuthResponse.abstain()
        # Whoever holds a mailed code must choose a real password before going on.
        set_reset(flow, Message("resetpass-temp-emailed"), hard=True)
        return AuthResponse.passed(record.name, user_id=record.id)


class LocalPasswordPrimary(PrimaryProvider):
    name = "local-password"

    async def begin(self, env: AuthEnvironment, attempt: LoginAttempt | None, flow: Flow) -> AuthResponse:
        if attempt is None or attempt.name is None:
            return AuthResponse.abstain()
        password, account = attempt.password, attempt.account
        if account is None:
            await asyncio.to_thread(env.hasher.dummy_verify, password)
            return AuthResponse.fail(wrong_password(password))
        record = account.record
        issues = await _login_issues(env, account, password)
        if (failed := _fatal(issues)) is not None:
            return failed
        if not await env.verify(password, record.password, user_id=record.id):
            return AuthResponse.fail(wrong_password(password))
        if env.hasher.needs_update(record.password):
            await env.accounts.upgrade_hash(record, password)
        if "reset" not in flow:
            self._offer_reset(flow, issues)
        return AuthResponse.passed(record.name, user_id=record.id)

    @staticmethod
    def _offer_reset(flow: Flow, issues: list[PolicyIssue]) -> None:
        action = login_action(issues)
        if action is LoginAction.FORCE:
            set_reset(flow, status_message(issues, "resetpass-validity"), hard=True)
        elif action is LoginAction.SUGGEST:
            set_reset(flow, status_message(issues, "resetpass-validity-soft"), hard=False)
