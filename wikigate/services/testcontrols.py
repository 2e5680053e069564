"""What a test server (`testing = true`) lets a client's test suite do: move the clock, and make
the next requests fail the ways a real wiki fails them.

A fault is armed for the next `count` requests it applies to, for everyone, one
account or one session. Requests it cannot apply to do not use it up: `maxlag`
only answers requests that carry `maxlag`, `readonly` and `ratelimited` only
writes, `lost-session` only requests whose session is stored. The armed faults
and the clock's offset live in the shared key-value store, so every process of
the server sees the same ones, and a counter per fault makes exactly `count`
requests fail however many processes answer them. Arming is meant for a test's
set-up, one call at a time: two calls at the same moment may keep only one.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from wikigate.clock import ShiftedClock
from wikigate.randomness import Randomness
from wikigate.services.accounts import Accounts
from wikigate.store.kv import KeyValueStore

KINDS = ("maxlag", "readonly", "ratelimited", "lost-session", "internal-error", "delay")
MAX_COUNT = 1000
MAX_DELAY = 60.0
_STATE_KEY = "testing:state"
_USED_PREFIX = "testing:used:"
_CLASS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# The state outlives any test run, and a clock moved years ahead.
_KEEP = 100 * 365 * 86400.0


class FaultInjected(Exception):
    """Raised where an armed internal error strikes; the API answers it as any unexpected error."""


def injected(exception: str) -> FaultInjected:
    """An error of the class an armed fault names: the API's answer names the class
    (`internal_api_error_DBQueryError`), and clients retry some classes and not others."""
    named: type[FaultInjected] = type(exception, (FaultInjected,), {})
    return named("an internal error armed on this test server")


class ControlError(ValueError):
    """A request to arm a fault or move the clock that cannot be carried out, in words."""


@dataclass(frozen=True, slots=True)
class Fault:
    id: str
    kind: str
    count: int
    user: str | None = None  # the account's name, as given
    user_id: int | None = None
    session: str | None = None
    lag: int = 10  # maxlag: the lag reported (at least the request's maxlag + 1)
    seconds: float = 1.0  # delay
    reason: str = "This wiki is being tested and is read-only for a moment."  # readonly
    exception: str = "DBQueryError"  # internal-error: the class the answer names, as MediaWiki's do

    def applies(self, user_id: int, session_id: str) -> bool:
        return (self.user_id is None or self.user_id == user_id) and (
            self.session is None or self.session == session_id)


@dataclass(frozen=True, slots=True)
class Armed:
    """The faults armed when a request began, and a way to use one up."""

    faults: tuple[Fault, ...]
    kv: KeyValueStore

    async def take(self, kind: str, user_id: int, session_id: str) -> Fault | None:
        """The first armed fault of `kind` for this user and session that has requests left, used once."""
        for fault in self.faults:
            if fault.kind == kind and fault.applies(user_id, session_id):
                if await self.kv.incr(_USED_PREFIX + fault.id, _KEEP) <= fault.count:
                    return fault
        return None


class TestControls:
    def __init__(self, kv: KeyValueStore, clock: ShiftedClock, accounts: Accounts, random: Randomness) -> None:
        self._kv = kv
        self._clock = clock
        self._accounts = accounts
        self._random = random

    async def _state(self) -> dict[str, Any]:
        raw = await self._kv.get(_STATE_KEY)
        return json.loads(raw) if raw else {"offset": 0.0, "faults": []}

    async def _save(self, state: dict[str, Any]) -> None:
        await self._kv.set(_STATE_KEY, json.dumps(state), _KEEP)

    async def begin_request(self) -> Armed | None:
        """Read the shared state once per request: the clock takes its offset, and the armed faults
        (None when there are none) come back."""
        state = await self._state()
        self._clock.offset = float(state["offset"])
        faults = tuple(Fault(**fault) for fault in state["faults"])
        return Armed(faults, self._kv) if faults else None

    async def arm(self, request: dict[str, Any]) -> Fault:
        """Arm a fault described as the HTTP API takes it; its record."""
        kind = request.get("kind")
        if kind not in KINDS:
            raise ControlError(f"kind must be one of {', '.join(KINDS)}")
        count = request.get("count", 1)
        if not _is_whole(count) or not 1 <= count <= MAX_COUNT:
            raise ControlError(f"count must be a whole number from 1 to {MAX_COUNT}")
        fault = Fault(id=self._random.token_hex(8), kind=kind, count=count)
        user = request.get("user")
        if user is not None:
            record = await self._accounts.find(user) if isinstance(user, str) else None
            if record is None:
                raise ControlError("user must name an existing account")
            fault = replace(fault, user=record.name, user_id=record.id)
        session = request.get("session")
        if session is not None:
            if not isinstance(session, str) or not session:
                raise ControlError("session must be a session cookie's value")
            fault = replace(fault, session=session)
        lag = request.get("lag", fault.lag)
        if not _is_whole(lag) or not 0 <= lag <= 3600:
            raise ControlError("lag must be a whole number of seconds from 0 to 3600")
        seconds = request.get("seconds", fault.seconds)
        if not _is_number(seconds) or not 0 <= seconds <= MAX_DELAY:
            raise ControlError(f"seconds must be from 0 to {MAX_DELAY:g}")
        reason = request.get("reason", fault.reason)
        if not isinstance(reason, str) or not reason:
            raise ControlError("reason must be a non-empty string")
        exception = request.get("exception", fault.exception)
        if not isinstance(exception, str) or not _CLASS_NAME.fullmatch(exception):
            raise ControlError("exception must be a class name such as DBQueryError")
        fault = replace(fault, lag=lag, seconds=float(seconds), reason=reason, exception=exception)
        state = await self._state()
        state["faults"].append(asdict(fault))
        await self._save(state)
        return fault

    async def armed(self) -> list[dict[str, Any]]:
        """The armed faults, each with how many requests it still has to answer."""
        state = await self._state()
        listing = []
        for fault in state["faults"]:
            used = int(await self._kv.get(_USED_PREFIX + fault["id"]) or 0)
            listing.append({**fault, "remaining": max(fault["count"] - used, 0)})
        return listing

    async def disarm(self) -> None:
        state = await self._state()
        ids = [fault["id"] for fault in state["faults"]]
        state["faults"] = []
        await self._save(state)
        if ids:
            await self._kv.delete(*(_USED_PREFIX + fault_id for fault_id in ids))

    async def move_clock(self, request: dict[str, Any]) -> float:
        """Move the clock by `advance` seconds, to `set` (seconds since the epoch), or back to the real
        time with `reset`; the new time."""
        state = await self._state()
        real = self._clock.base.now()
        if request.get("reset") is True:
            offset = 0.0
        elif _is_number(request.get("advance")):
            offset = float(state["offset"]) + float(request["advance"])
        elif _is_number(request.get("set")):
            offset = float(request["set"]) - real
        else:
            raise ControlError("give advance (seconds), set (seconds since the epoch) or reset (true)")
        if real + offset < 0:
            raise ControlError("the clock cannot go before 1970")
        state["offset"] = offset
        await self._save(state)
        self._clock.offset = offset
        return real + offset

    def now(self) -> float:
        return self._clock.now()


def _is_number(value: Any) -> bool:
    """A finite number as JSON gives it (true and false are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: Any) -> bool:
    return _is_number(value) and isinstance(value, int)
