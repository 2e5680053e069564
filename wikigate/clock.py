"""Time as a dependency, so tests can move it instead of sleeping."""

from __future__ import annotations

import time


class Clock:
    """Wall-clock time in seconds since the epoch."""

    def now(self) -> float:
        return time.time()

    def seconds(self) -> float:
        """Now in whole seconds: MediaWiki's timestamps have no fraction, so what is stored has none
        either (a continuation's timestamp then names its row exactly)."""
        return float(int(self.now()))


class FixedClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds

    def set(self, when: float) -> None:
        self._now = when


class ShiftedClock(Clock):
    """Another clock moved by `offset` seconds: a test server's clock, which tests move forward
    (token, protection and block expiries, TOTP steps) instead of sleeping."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = 0.0

    def now(self) -> float:
        return self.base.now() + self.offset
