"""MediaWiki's rate limiter ($wgRateLimits, User::pingLimiter) over the shared key-value store.

Each action has limits per category (`ip`, `user`, `newbie`, a group, …); a
request counts against every category that applies to the user, and is refused
when any counter goes over. Counters live in the database or Redis, so every
server process counts together. Users with `noratelimit` are exempt.
"""

from __future__ import annotations

from wikigate.config import Settings
from wikigate.metrics import Metrics
from wikigate.services.rights import rate_limit_categories
from wikigate.services.users import User
from wikigate.store.kv import KeyValueStore


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


def _key(action: str, category: str, user: User, ip: str) -> str:
    if category in ("ip", "ip-all"):
        return f"ratelimit:{action}:{category}:{ip}"
    if category == "anon":
        return f"ratelimit:{action}:anon"  # one counter shared by all anonymous users
    if category in ("subnet", "subnet-all"):
        return f"ratelimit:{action}:{category}:{_subnet(ip)}"
    return f"ratelimit:{action}:{category}:{user.id}"
