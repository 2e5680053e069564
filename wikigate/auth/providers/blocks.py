"""Secondary providers that stop a login whose password was right: a locked account (CentralAuth),
and a blocked one where blocks disable logins ($wgBlockDisablesLogin).

They run only after the password passed, so that a wrong password never tells whether an account
is locked (CentralAuth tells it either way).
"""

from __future__ import annotations

from wikigate.auth.providers import AuthEnvironment, Flow, LoginAccount, SecondaryProvider
from wikigate.auth.responses import AuthResponse
from wikigate.messages import Message


class CheckBlocksSecondary(SecondaryProvider):
    name = "check-blocks"

    async def begin(self, env: AuthEnvironment, account: LoginAccount, flow: Flow) -> AuthResponse:
        if env.settings.block_disables_login and await env.accounts.is_blocked(account, env.ip, env.now):
            return AuthResponse.fail(Message("login-userblocked", (account.record.name,)))
        return AuthResponse.abstain()


class CheckLockSecondary(SecondaryProvider):
    name = "check-lock"

    async def begin(self, env: AuthEnvironment, account: LoginAccount, flow: Flow) -> AuthResponse:
        if account.record.locked:
            return AuthResponse.fail(Message("centralauth-login-error-locked", (account.record.name,)))
        return AuthResponse.abstain()
