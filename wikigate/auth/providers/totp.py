"""Secondary provider: a TOTP code (or a recovery code) after the password, as OATHAuth asks.

Wrong codes count against the `badoath` rate limit, which no group may bypass:
six digits are guessable when tries are unlimited.
"""

from __future__ import annotations

from wikigate.auth import totp
from wikigate.auth.providers import AuthEnvironment, Flow, LoginAccount, SecondaryProvider
from wikigate.auth.responses import AuthRequest, AuthResponse, totp_request
from wikigate.auth.throttle import duration
from wikigate.messages import Message
from wikigate.store import oath
from wikigate.store.users import UserRecord


class TotpSecondary(SecondaryProvider):
    name = "oath"

    async def begin(self, env: AuthEnvironment, account: LoginAccount, flow: Flow) -> AuthResponse:
        user = account.record
        if not await oath.is_enrolled(env.database, user.id):
            return AuthResponse.abstain()
        return AuthResponse.ui([totp_request(user.name)], Message("oathauth-auth-ui"))

    async def proceed(self, env: AuthEnvironment, account: LoginAccount, flow: Flow,
                      submission: dict[str, str]) -> AuthResponse:
        user = account.record
        enrolment = await env.database.read(lambda tx: oath.get(tx, user.id))
        if enrolment is None:
            # Two-factor was switched off in the middle of the login.
            return AuthResponse.abstain()
        code = submission.get("OATHToken", "")
        if not code:
            return self._failed(user)
        if await self._over_limit(env, user):
            return AuthResponse.ui([totp_request(user.name)], Message("oathauth-throttled", (duration(60),)))
        step = totp.verify_code(enrolment.secret, code, now=env.now, last_step=enrolment.last_step)
        if step is not None and await env.database.write(lambda tx: oath.accept_step(tx, user.id, step)):
            return AuthResponse.passed()
        spent = await env.database.write(
            lambda tx: oath.consume_recovery_code(tx, user.id, lambda codes: totp.match_recovery_code(code, codes)))
        if spent:
            return AuthResponse.passed()
        return self._failed(user)

    def requests(self, user: UserRecord, flow: Flow) -> list[AuthRequest]:
        return [totp_request(user.name)]

    @staticmethod
    def _failed(user: UserRecord) -> AuthResponse:
        return AuthResponse.ui([totp_request(user.name)], Message("oathauth-login-failed"))

    @staticmethod
    async def _over_limit(env: AuthEnvironment, user: UserRecord) -> bool:
        """Count this attempt against $wgRateLimits['badoath']['user'], for every group alike."""
        limit = env.settings.rate_limits.get("badoath", {}).get("user")
        if not limit or not limit[0]:
            return False
        hits, seconds = limit
        return await env.kv.incr(f"ratelimit:badoath:user:{user.id}", seconds) > hits
