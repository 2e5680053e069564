"""MediaWiki's rate limiter ($wgRateLimits, User::pingLimiter) over the shared key-value store.

Each action has limits per category (`ip`, `user`, `newbie`, a group, …); a
request counts against every category that applies to the user, and is refused
when any counter goes over. Counters live in the database or Redis, so every
server process counts together. Users with `noratelimit` are exempt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikigate.services.rights import rate_limit_categories
from wikigate.services.users import User

if TYPE_CHECKING:
    from wikigate.app import Services


def _subnet(ip: str) -> str:
    if ":" in ip:
        return ":".join(ip.split(":")[:4])  # IPv6 /64
    return ".".join(ip.split(".")[:3])  # IPv4 /24


async def limit_exceeded(services: Services, user: User, action: str, ip: str, *, increment: int = 1) -> bool:
    """Count one use of `action`; True when the user is now over a limit (→ `ratelimited`)."""
    limits = services.settings.rate_limits.get(action)
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
        if category in ("ip", "ip-all"):
            key = f"ratelimit:{action}:{category}:{ip}"
        elif category == "anon":
            key = f"ratelimit:{action}:anon"  # one counter shared by all anonymous users
        elif category in ("subnet", "subnet-all"):
            key = f"ratelimit:{action}:{category}:{_subnet(ip)}"
        else:
            key = f"ratelimit:{action}:{category}:{user.id}"
        count = 0
        for _ in range(increment):
            count = await services.kv.incr(key, seconds)
        if count > hits:
            exceeded = True
    return exceeded
