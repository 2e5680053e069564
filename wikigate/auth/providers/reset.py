"""Secondary provider: a new password before the login completes.

A primary provider sets the flow's `reset` entry when the password used must
be replaced (hard: a temporary password, or a policy check with forceChange)
or should be (soft: suggestChangeOnLogin; the client may send `skipReset`).
"""

from __future__ import annotations

import hmac

from wikigate.auth.providers import (
    AuthEnvironment,
    Flow,
    LoginAccount,
    SecondaryProvider,
    status_message,
)
from wikigate.auth.providers.password import reset_message
from wikigate.auth.responses import (
    AuthRequest,
    AuthResponse,
    Required,
    change_password_request,
    skip_reset_request,
)
from wikigate.messages import Message
from wikigate.store.users import UserRecord


class ResetPasswordSecondary(SecondaryProvider):
    name = "reset-password"

    async def begin(self, env: AuthEnvironment, account: LoginAccount, flow: Flow) -> AuthResponse:
        if "reset" not in flow:
            return AuthResponse.abstain()
        return AuthResponse.ui(self.requests(account.record, flow), reset_message(flow))

    async def proceed(self, env: AuthEnvironment, account: LoginAccount, flow: Flow,
                      submission: dict[str, str]) -> AuthResponse:
        if "reset" not in flow:
            return AuthResponse.abstain()
        user = account.record
        needed = self.requests(user, flow)
        if not flow["reset"]["hard"] and skip_reset_request().load(submission) == {"skipReset": True}:
            del flow["reset"]
            return AuthResponse.passed()
        change = change_password_request().load(submission)
        if change is None:
            return AuthResponse.ui(needed, reset_message(flow))
        password, retype = str(change["password"]), str(change["retype"])
        if not hmac.compare_digest(password.encode(), retype.encode()):
            return AuthResponse.ui(needed, Message("badretype"))
        # A new password must pass every check, unlike one that merely logs in.
        issues = await env.policy_issues(password, user.name, account.groups)
        if issues:
            return AuthResponse.ui(needed, status_message(issues))
        # The login goes on under the account's new token; its other sessions end.
        flow["token"] = await env.accounts.change_password(user, password)
        del flow["reset"]
        return AuthResponse.passed()

    def requests(self, user: UserRecord, flow: Flow) -> list[AuthRequest]:
        if flow["reset"]["hard"]:
            return [change_password_request(account=user.name, required=Required.REQUIRED)]
        return [change_password_request(account=user.name, required=Required.OPTIONAL), skip_reset_request()]
