"""A small key-value store with expiry: sessions, throttles and rate limits.

Three implementations behind one protocol: SQLite (the default) and PostgreSQL
tables shared by every worker process that uses the same database, and Redis
for deployments that already run it. Values are strings (JSON by convention).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Protocol

from sqlalchemy import Integer, String, bindparam, case, cast, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from wikigate.clock import Clock
from wikigate.store.db import read_first
from wikigate.store.schema import objectcache
from wikigate.store.sqlite_direct import DirectSqlite


class KeyValueStore(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...

    async def incr(self, key: str, ttl: float) -> int:
        """Add one to a counter and return it; a new counter lives `ttl` seconds."""
        ...

    async def close(self) -> None: ...


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


class DatabaseStore:
    """Rows in the `objectcache` table through SQLAlchemy (used for PostgreSQL).

    Expired rows read as missing and are purged lazily; writes are group-committed.
    """

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._sweeper = _Sweeper()
        self._commits = GroupCommit(self._write)
        self._select = select(objectcache.c.value, objectcache.c.expires).where(
            objectcache.c.key == bindparam("key"))
        insert = self._dialect.insert(objectcache)
        self._upsert = insert.on_conflict_do_update(
            index_elements=[objectcache.c.key],
            set_={"value": insert.excluded.value, "expires": insert.excluded.expires},
        )

    async def get(self, key: str) -> str | None:
        row = await read_first(self._engine, None, self._select.params(key=key))
        if row is None or (row.expires is not None and row.expires <= self._clock.now()):
            return None
        return str(row.value)

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self._commits.submit({key: (value, self._clock.now() + ttl)})

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._commits.submit(dict.fromkeys(keys))

    async def _write(self, batch: Changes) -> None:
        rows = [{"key": key, "value": change[0], "expires": change[1]}
                for key, change in batch.items() if change is not None]
        gone = [key for key, change in batch.items() if change is None]
        async with self._engine.begin() as connection:
            if gone:
                await connection.execute(delete(objectcache).where(objectcache.c.key.in_(gone)))
            if rows:
                await connection.execute(self._upsert, rows)
            if self._sweeper.due(len(rows)):
                await connection.execute(delete(objectcache).where(objectcache.c.expires <= self._clock.now()))

    async def incr(self, key: str, ttl: float) -> int:
        now = self._clock.now()
        expired = objectcache.c.expires <= now
        # One atomic upsert, so concurrent processes never lose a count.
        statement = (
            self._dialect.insert(objectcache)
            .values(key=key, value="1", expires=now + ttl)
            .on_conflict_do_update(
                index_elements=[objectcache.c.key],
                set_={
                    "value": case(
                        (expired, "1"),
                        else_=cast(cast(objectcache.c.value, Integer) + 1, String),
                    ),
                    "expires": case((expired, now + ttl), else_=objectcache.c.expires),
                },
            )
            .returning(objectcache.c.value)
        )
        async with self._engine.begin() as connection:
            value = (await connection.execute(statement)).scalar_one()
        return int(value)

    async def close(self) -> None:
        return None


_SQLITE_UPSERT = (
    "INSERT INTO objectcache (key, value, expires) VALUES (?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires"
)
_SQLITE_INCR = (
    "INSERT INTO objectcache (key, value, expires) VALUES (?, '1', ?) "
    "ON CONFLICT (key) DO UPDATE SET "
    "value = CASE WHEN expires <= ? THEN '1' ELSE CAST(CAST(value AS INTEGER) + 1 AS TEXT) END, "
    "expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END "
    "RETURNING value"
)


class SqliteStore:
    """The `objectcache` table of the SQLite database, read and written directly.

    Reads run on the event loop's thread; writes are group-committed on the
    writer thread.
    """

    def __init__(self, direct: DirectSqlite, clock: Clock) -> None:
        self._direct = direct
        self._clock = clock
        self._sweeper = _Sweeper()
        self._commits = GroupCommit(self._write)

    async def get(self, key: str) -> str | None:
        row = self._direct.read_one("SELECT value, expires FROM objectcache WHERE key = ?", (key,))
        if row is None or (row["expires"] is not None and row["expires"] <= self._clock.now()):
            return None
        return str(row["value"])

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self._commits.submit({key: (value, self._clock.now() + ttl)})

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._commits.submit(dict.fromkeys(keys))

    async def _write(self, batch: Changes) -> None:
        rows = [(key, *change) for key, change in batch.items() if change is not None]
        gone = [(key,) for key, change in batch.items() if change is None]
        now = self._clock.now()
        sweep = self._sweeper.due(len(rows))

        def write(connection: sqlite3.Connection) -> None:
            connection.executemany("DELETE FROM objectcache WHERE key = ?", gone)
            connection.executemany(_SQLITE_UPSERT, rows)
            if sweep:
                connection.execute("DELETE FROM objectcache WHERE expires <= ?", (now,))

        await self._direct.write(write)

    async def incr(self, key: str, ttl: float) -> int:
        now = self._clock.now()
        row = await self._direct.write(
            lambda connection: connection.execute(_SQLITE_INCR, (key, now + ttl, now, now)).fetchone())
        return int(row[0])

    async def close(self) -> None:
        return None


class RedisStore:
    """Keys under a prefix in Redis; Redis expires them itself."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url, decode_responses=True)
        self._prefix = prefix

    async def get(self, key: str) -> str | None:
        return await self._redis.get(self._prefix + key)

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self._redis.set(self._prefix + key, value, px=max(1, int(ttl * 1000)))

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._redis.delete(*(self._prefix + key for key in keys))

    async def incr(self, key: str, ttl: float) -> int:
        full = self._prefix + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(full)
            pipe.pexpire(full, max(1, int(ttl * 1000)), nx=True)
            count, _ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()
