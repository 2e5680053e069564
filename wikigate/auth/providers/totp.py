"""Secondary provider: a TOTP code (or a recovery code) after the password, as OATHAuth asks.

Wrong codes count against the `badoath` rate limit, which no group may bypass:
six digits are guessable when tries are unlimited.
"""

from __future__ import annotations

from wikigate.auth import totp
from wikigate.auth.providers import AuthEnvironment, Flow, LoginAccount, SecondaryProvider
from wikigate.auth.responses import AuthRequest, AuthResponse, totp_request
from wikigate.auth.throttle import Counter, duration
from wikigate.config import Settings
from wikigate.messages import Message
from wikigate.store import oath
from wikigate.store.database import Database
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
        if await over_code_limit(env.kv, env.settings, user.id):
            return AuthResponse.ui([totp_request(user.name)], Message("oathauth-throttled", (duration(60),)))
        if await accept_code(env.database, enrolment, code, env.now):
            return AuthResponse.passed()
        return self._failed(user)

    def requests(self, user: UserRecord, flow: Flow) -> list[AuthRequest]:
        return [totp_request(user.name)]

    @staticmethod
    def _failed(user: UserRecord) -> AuthResponse:
        return AuthResponse.ui([totp_request(user.name)], Message("oathauth-login-failed"))



async def over_code_limit(kv: Counter, settings: Settings, user_id: int) -> bool:
    """Count an attempt at a code against $wgRateLimits['badoath']['user'], for every group alike."""
    limit = settings.rate_limits.get("badoath", {}).get("user")
    if not limit or not limit[0]:
        return False
    hits, seconds = limit
    return await kv.incr(f"ratelimit:badoath:user:{user_id}", seconds) > hits


async def accept_code(database: Database, enrolment: oath.OathRecord, code: str, now: float) -> bool:
    """Whether `code` is the enrolled user's current TOTP code (each step once) or one of their
    recovery codes (each once); a code that passes is spent."""
    user_id = enrolment.user_id
    step = totp.verify_code(enrolment.secret, code, now=now, last_step=enrolment.last_step)
    if step is not None and await database.write(lambda tx: oath.accept_step(tx, user_id, step)):
        return True
    return await database.write(
        lambda tx: oath.consume_recovery_code(tx, user_id, lambda codes: totp.match_recovery_code(code, codes)))
