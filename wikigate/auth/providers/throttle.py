"""Pre-authentication: the password-attempt and account-creation throttles."""

from __future__ import annotations

from wikigate.auth.providers import AuthEnvironment
from wikigate.auth.throttle import (
    account_creation_throttle,
    duration,
    password_attempt_throttle,
)
from wikigate.messages import Message


class ThrottlePreAuthentication:
    """Counts each login per (account, IP) and each account creation per IP.

    The name is counted as canonicalised (an invalid one as typed), so every
    spelling of a name counts against the same account.
    """

    async def test_for_authentication(self, env: AuthEnvironment, name: str) -> Message | None:
        throttle = password_attempt_throttle(env.kv, env.settings.password_attempt_throttle, env.metrics)
        hit = await throttle.hit(name, env.ip)
        if hit is None:
            return None
        return Message("login-throttled", (duration(hit.seconds),))

    async def post_authentication(self, env: AuthEnvironment, name: str) -> None:
        """A successful login wipes the slate for its account and IP."""
        throttle = password_attempt_throttle(env.kv, env.settings.password_attempt_throttle, env.metrics)
        await throttle.clear(name, env.ip)

    async def test_for_account_creation(self, env: AuthEnvironment, *, exempt: bool) -> Message | None:
        if exempt:  # creators with `noratelimit`
            return None
        throttle = account_creation_throttle(env.kv, env.settings.account_creation_throttle, env.metrics)
        hit = await throttle.hit(None, env.ip)
        if hit is None:
            return None
        return Message("acct_creation_throttle_hit", (hit.count, duration(hit.seconds)))
