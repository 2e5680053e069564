"""A small key-value store with expiry: sessions, throttles and rate limits.

Two implementations behind one protocol: a table of the database (SQLite or
PostgreSQL, through the same `Database` units), shared by every process that
uses it, and Redis for deployments that already run it. Values are strings
(JSON by convention).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from wikigate.clock import Clock
from wikigate.store.database import Database, SqlStep


class KeyValueStore(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...

    async def incr(self, key: str, ttl: float) -> int:
        """Add one to a counter and return it; a new counter lives `ttl` seconds."""
        ...

    async def incr_many(self, counters: Sequence[tuple[str, float]]) -> list[int]:
        """`incr` for several (key, ttl) counters at once, in one round trip."""
        ...

    async def delete_matching(self, pattern: str) -> int:
        """Delete the keys `pattern` matches (`*`: any run of characters; see `glob_literal`); how many."""
        ...

    async def close(self) -> None: ...


def glob_literal(text: str) -> str:
    """`text` as a part of a `delete_matching` pattern that matches only itself."""
    return text.replace("\\", "\\\\").replace("*", "\\*")


def _pattern_parts(pattern: str) -> list[str | None]:
    """A pattern as its literal characters, with None for each wildcard."""
    parts: list[str | None] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            parts.append(None if char == "*" else char)
    return parts


def _like(pattern: str) -> str:
    return "".join("%" if part is None else ("\\" + part if part in "%_\\" else part)
                   for part in _pattern_parts(pattern))


def _redis_glob(pattern: str) -> str:
    return "".join("*" if part is None else ("\\" + part if part in "*?[]\\" else part)
                   for part in _pattern_parts(pattern))


# A batch of changes by key: (value, expiry time) to write, or None to delete.
Changes = dict[str, "tuple[str, float] | None"]


class GroupCommit:
    """Writes the changes that arrive while a transaction is in flight together in the next.

    Each caller returns only once its own change is committed (or sees the
    batch's error), so nothing is acknowledged early; under load one commit
    serves many requests.
    """

    def __init__(self, write: Callable[[Changes], Awaitable[None]]) -> None:
        self._write = write
        self._pending: Changes = {}
        self._waiters: list[asyncio.Future[None]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, changes: Changes) -> None:
        self._pending.update(changes)
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        if self._flusher is None:
            self._flusher = asyncio.ensure_future(self._flush())
        await waiter

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, waiters = self._pending, self._waiters
                self._pending, self._waiters = {}, []
                try:
                    await self._write(batch)
                except Exception as error:  # every caller of this batch sees the failure
                    for waiter in waiters:
                        if not waiter.done():
                            waiter.set_exception(error)
                    continue
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_result(None)
        finally:
            self._flusher = None


class _Sweeper:
    """About every thousandth write also sweeps expired rows, so the table stays
    bounded without a background job."""

    def __init__(self) -> None:
        self._writes = 0

    def due(self, count: int) -> bool:
        before = self._writes
        self._writes += count
        return before // 1000 != self._writes // 1000


# Portable SQL: run through SQLite's own connection or SQLAlchemy (Database.write_sql).
_SELECT = "SELECT value, expires FROM objectcache WHERE key = :key"
_DELETE = "DELETE FROM objectcache WHERE key = :key"
_UPSERT = (
    "INSERT INTO objectcache (key, value, expires) VALUES (:key, :value, :expires) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires")
_SWEEP = "DELETE FROM objectcache WHERE expires <= :now"
_DELETE_MATCHING = "DELETE FROM objectcache WHERE key LIKE :pattern ESCAPE '\\' RETURNING key"
# One atomic statement, so concurrent processes never lose a count: an expired
# counter starts again at 1 with a new expiry.
_INCREMENT = (
    "INSERT INTO objectcache (key, value, expires) VALUES (:key, '1', :expires) "
    "ON CONFLICT (key) DO UPDATE SET "
    "value = CASE WHEN objectcache.expires <= :now THEN '1' "
    "ELSE CAST(CAST(objectcache.value AS INTEGER) + 1 AS TEXT) END, "
    "expires = CASE WHEN objectcache.expires <= :now THEN excluded.expires ELSE objectcache.expires END "
    "RETURNING value")


class DatabaseStore:
    """Rows of the `objectcache` table, shared by every process that uses the database.

    Expired rows read as missing and are swept now and then; writes that
    arrive together are committed together (group commit).
    """

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._sweeper = _Sweeper()
        self._commits = GroupCommit(self._write)

    async def get(self, key: str) -> str | None:
        row = await self._database.query_one(_SELECT, {"key": key})
        if row is None or (row[1] is not None and row[1] <= self._clock.now()):
            return None
        return str(row[0])

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self._commits.submit({key: (value, self._clock.now() + ttl)})

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._commits.submit(dict.fromkeys(keys))

    async def _write(self, batch: Changes) -> None:
        rows = [{"key": key, "value": change[0], "expires": change[1]}
                for key, change in batch.items() if change is not None]
        gone = [{"key": key} for key, change in batch.items() if change is None]
        steps: list[SqlStep] = []
        if gone:
            steps.append((_DELETE, gone))
        if rows:
            steps.append((_UPSERT, rows))
        if self._sweeper.due(len(rows)):
            steps.append((_SWEEP, [{"now": self._clock.now()}]))
        await self._database.write_sql(steps)

    async def incr(self, key: str, ttl: float) -> int:
        return (await self.incr_many([(key, ttl)]))[0]

    async def incr_many(self, counters: Sequence[tuple[str, float]]) -> list[int]:
        now = self._clock.now()
        rows = [{"key": key, "expires": now + ttl, "now": now} for key, ttl in counters]
        if not rows:
            return []
        answers = await self._database.write_sql([(_INCREMENT, [row]) for row in rows])
        return [int(rows_returned[0][0]) for rows_returned in answers]

    async def delete_matching(self, pattern: str) -> int:
        answers = await self._database.write_sql([(_DELETE_MATCHING, [{"pattern": _like(pattern)}])])
        return len(answers[0])

    async def close(self) -> None:
        return None


class RedisStore:
    """Keys under a prefix in Redis; Redis expires them itself."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url, decode_responses=True)
        self._prefix = prefix

    async def check(self) -> None:
        """Raise unless Redis answers (checked at start, so a wrong URL is found at once)."""
        await self._redis.ping()

    async def get(self, key: str) -> str | None:
        value = await self._redis.get(self._prefix + key)
        # decode_responses gives str; the client's types cannot say so.
        return value if value is None or isinstance(value, str) else value.decode()

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self._redis.set(self._prefix + key, value, px=max(1, int(ttl * 1000)))

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._redis.delete(*(self._prefix + key for key in keys))

    async def incr(self, key: str, ttl: float) -> int:
        return (await self.incr_many([(key, ttl)]))[0]

    async def incr_many(self, counters: Sequence[tuple[str, float]]) -> list[int]:
        if not counters:
            return []
        async with self._redis.pipeline(transaction=True) as pipe:
            for key, ttl in counters:
                full = self._prefix + key
                pipe.incr(full)
                pipe.pexpire(full, max(1, int(ttl * 1000)), nx=True)
            replies = await pipe.execute()
        return [int(count) for count in replies[::2]]

    async def delete_matching(self, pattern: str) -> int:
        deleted = 0
        batch: list[str] = []
        async for key in self._redis.scan_iter(match=_redis_glob(glob_literal(self._prefix) + pattern), count=500):
            batch.append(key)
            if len(batch) == 500:
                deleted += await self._redis.delete(*batch)
                batch = []
        if batch:
            deleted += await self._redis.delete(*batch)
        return deleted

    async def close(self) -> None:
        await self._redis.aclose()
