"""Secondary provider: no login for a blocked account where blocks disable logins ($wgBlockDisablesLogin)."""

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
