"""MediaWiki's rate limiter ($wgRateLimits, User::pingLimiter) over the shared key-value store.

Each action has limits per category (`ip`, `user`, `newbie`, a group, …); a
request counts against every category that applies to the user, and is refused
when any counter goes over. Counters live in the database or Redis, so every
server process counts together. Users with `noratelimit` are exempt.
"""

from __future__ import annotations

import ipaddress

from wikigate.auth.throttle import counter_patterns
from wikigate.config import Settings
from wikigate.metrics import Metrics
from wikigate.services.accounts import Accounts
from wikigate.services.rights import rate_limit_categories
from wikigate.services.users import User
from wikigate.store.kv import KeyValueStore, glob_literal


def _subnet(ip: str) -> str:
    if ":" in ip:
        return ":".join(ip.split(":")[:4])  # IPv6 /64
    return ".".join(ip.split(".")[:3])  # IPv4 /24


class RateLimiter:
    def __init__(self, kv: KeyValueStore, settings: Settings, metrics: Metrics) -> None:
        self._kv = kv
        self._settings = settings
        self._metrics = metrics

    async def exceeded(self, user: User, action: str, ip: str, *, increment: int = 1) -> bool:
        """Count one use of `action`; True when the user is now over a limit (→ `ratelimited`)."""
        limits = self._settings.rate_limits.get(action)
        if not limits or increment <= 0:
            return False
        bypassable = not ("&can-bypass" in limits and not limits["&can-bypass"][0])
        if bypassable and user.has_right("noratelimit"):
            return False
        exceeded = False
        # `ip-all` and `subnet-all` bind every user by address, newcomer or not.
        for category in [*rate_limit_categories(user), "ip-all", "subnet-all"]:
            limit = limits.get(category)
            if not limit:
                continue
            hits, seconds = limit
            count = 0
            for _ in range(increment):
                count = await self._kv.incr(_key(action, category, user, ip), seconds)
            if count > hits:
                exceeded = True
        if exceeded:
            self._metrics.rate_limited(action)
        return exceeded

    async def forget(self, *, name: str | None = None, user_id: int | None = None, ip: str | None = None) -> int:
        """Forget counted attempts: the login and account-creation throttles of an account name, the
        rate limits of an account id, both of an address (and its subnet); with nothing given, every
        counter. How many counters went."""
        if name is None and user_id is None and ip is None:
            return sum([await self._kv.delete_matching(pattern) for pattern in ("throttle:*", "ratelimit:*")])
        patterns = counter_patterns(name, ip)
        if user_id is not None:
            # Categories that count by account (user, newbie, a group's) end in its id.
            patterns.append(f"ratelimit:*:*:{user_id}")
        if ip is not None:
            patterns += [f"ratelimit:*:{category}:{glob_literal(ip)}" for category in ("ip", "ip-all")]
            patterns += [f"ratelimit:*:{category}:{glob_literal(_subnet(ip))}" for category in ("subnet", "subnet-all")]
        return sum([await self._kv.delete_matching(pattern) for pattern in patterns])


async def forget_attempts(limiter: RateLimiter, accounts: Accounts, *, name: str | None, ip: str | None) -> int:
    """`wikigate throttle reset` and a test server's DELETE /testing/throttles: the attempts of a user
    (by the name its account has; attempts on a name without an account count under the name given)
    and of an address (in its canonical spelling), or of everyone. Raises ValueError for an address
    that is none."""
    address = str(ipaddress.ip_address(ip)) if ip is not None else None
    record = await accounts.find(name) if name else None
    return await limiter.forget(name=record.name if record else name, user_id=record.id if record else None,
                                ip=address)


def _key(action: str, category: str, user: User, ip: str) -> str:
    if category in ("ip", "ip-all"):
        return f"ratelimit:{action}:{category}:{ip}"
    if category == "anon":
        return f"ratelimit:{action}:anon"  # one counter shared by all anonymous users
    if category in ("subnet", "subnet-all"):
        return f"ratelimit:{action}:{category}:{_subnet(ip)}"
    return f"ratelimit:{action}:{category}:{user.id}"
