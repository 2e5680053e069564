"""Login and account-creation throttles ($wgPasswordAttemptThrottle, $wgAccountCreationThrottle).

A throttle is a list of conditions `{"count": n, "seconds": s}`, optionally with
`"allIPs": true` to count per account instead of per account and IP. Each
attempt adds one to the counter of every condition; an attempt that finds a
counter already at its count is refused, and the answer names how long the
caller must wait (the condition's whole period, as MediaWiki says it). A count
of 0 disables a condition. Counters live in the shared key-value store, so
every server process counts together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from wikigate.messages import Message
from wikigate.metrics import Metrics
from wikigate.store.kv import glob_literal


class Counter(Protocol):
    async def incr(self, key: str, ttl: float) -> int: ...

    async def incr_many(self, counters: Sequence[tuple[str, float]]) -> list[int]: ...

    async def delete(self, *keys: str) -> None: ...


@dataclass(frozen=True, slots=True)
class ThrottleHit:
    """A refused attempt: the limit it went over and the seconds to wait."""

    count: int
    seconds: int


class Throttle:
    def __init__(self, kv: Counter, kind: str, conditions: Sequence[Mapping[str, int]], metrics: Metrics) -> None:
        self._kv = kv
        self._kind = kind
        self._conditions = tuple(conditions)
        self._metrics = metrics

    def _key(self, index: int, username: str | None, ip: str | None) -> str:
        return f"throttle:{self._kind}:{index}:{username or ''}:{ip or ''}"

    def _keys(self, username: str | None, ip: str | None) -> list[tuple[Mapping[str, int], str]]:
        keys = []
        for index, condition in enumerate(self._conditions):
            per_ip = None if condition.get("allIPs") else ip
            if not condition.get("count") or (username is None and per_ip is None):
                continue
            keys.append((condition, self._key(index, username, per_ip)))
        return keys

    async def hit(self, username: str | None, ip: str | None) -> ThrottleHit | None:
        """Count one attempt; the longest limit it goes over, or None when it may go ahead."""
        worst: ThrottleHit | None = None
        keys = self._keys(username, ip)
        # All of an attempt's counters in one round trip.
        counts = await self._kv.incr_many([(key, condition["seconds"]) for condition, key in keys])
        for (condition, _), count in zip(keys, counts):
            if count > condition["count"] and (worst is None or condition["seconds"] > worst.seconds):
                worst = ThrottleHit(int(condition["count"]), int(condition["seconds"]))
        if worst is not None:
            self._metrics.throttled(self._kind)
        return worst

    async def clear(self, username: str | None, ip: str | None) -> None:
        """Forget the attempts of a login that succeeded."""
        keys = [key for _, key in self._keys(username, ip)]
        if keys:
            await self._kv.delete(*keys)


def counter_patterns(username: str | None, ip: str | None) -> list[str]:
    """Patterns (for `delete_matching`) of the throttle counters of an account name, of an address,
    or of both. `*` stands for any part."""
    # Keys are throttle:KIND:CONDITION:NAME:IP (see Throttle._key); names cannot hold ':'.
    patterns = []
    if username is not None:
        patterns.append(f"throttle:*:*:{glob_literal(username)}:*")
    if ip is not None:
        patterns.append(f"throttle:*:*:*:{glob_literal(ip)}")
    return patterns


def password_attempt_throttle(kv: Counter, conditions: Sequence[Mapping[str, int]], metrics: Metrics, *,
                              kind: str = "password") -> Throttle:
    return Throttle(kv, kind, conditions, metrics)


def account_creation_throttle(kv: Counter, conditions: Sequence[Mapping[str, int]], metrics: Metrics) -> Throttle:
    return Throttle(kv, "acctcreate", conditions, metrics)


_UNITS = (("years", 31_556_952), ("days", 86_400), ("hours", 3_600), ("minutes", 60), ("seconds", 1))


def duration(seconds: int) -> Message:
    """A duration in words ("5 minutes", "1 hour and 30 minutes"), as a message parameter."""
    parts: list[Message] = []
    remaining = max(0, int(seconds))
    for unit, size in _UNITS:
        amount, remaining = divmod(remaining, size)
        if amount:
            parts.append(Message(f"duration-{unit}", (amount,)))
    if not parts:
        parts.append(Message("duration-seconds", (0,)))
    if len(parts) == 1:
        return parts[0]
    template = ", ".join(f"${i}" for i in range(1, len(parts))) + f" and ${len(parts)}"
    return Message("", tuple(parts), fallback=template)
