"""The one road to the database: `Database.read(work)` and `Database.write(work)`.

A unit of work is a plain synchronous function of a `Tx` (a SQLAlchemy
connection) that runs the store's prebuilt statements; the services compose
units from the store's functions and never see SQL. Both backends run the
same units:

* SQLite (the default). Reads run on the event loop's own thread on a
  read-only connection: in WAL mode a reader never waits for the writer, and a
  point read costs microseconds, far less than a hand-off to another thread.
  Every write, from any part of the program, goes through one writer thread
  per process and, across processes, queues on a file lock before it takes
  SQLite's write lock with BEGIN IMMEDIATE, so writers wake in turn instead of
  polling (SQLite's busy handler sleeps up to 100 ms between tries). When
  no write is queued in the process and no other process holds the lock, a
  unit runs at once on the event loop's thread instead: a commit without
  fsync costs far less than a hand-off to the writer thread (about 0.2 ms of
  CPU here). SQLite's own checkpoints (every 1000 pages) stay as they are:
  moving them off the commit path measured slower.
* PostgreSQL: the same units run through the asyncio engine (`run_sync`),
  reads without a transaction, writes in one.

`query_one` and `query_all` take one portable SQL text with named parameters
for the few reads on every request's path; on SQLite they skip SQLAlchemy and
run on the standard library's connection, which answers the same rows (see
tests/store/test_database.py). Every statement and every unit is counted in
`stats`, which is where the query-count guards look.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, and_, create_engine, event, inspect, or_, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from wikigate.store.schema import metadata

if TYPE_CHECKING:
    import asyncpg

T = TypeVar("T")
Tx = Connection
"""What a unit of work receives; services pass it on to the store's functions."""

Row = tuple[Any, ...]
SqlStep = tuple[str, Sequence[Mapping[str, Any]]]
"""One portable SQL statement and its parameter sets (several: run for each)."""
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SCHEMA_REVISION = "0004"
"""The newest migration's revision (a test holds it to Alembic's head)."""
_BUSY_TIMEOUT_MS = 30_000
_BEGIN_IMMEDIATE = "BEGIN IMMEDIATE"
# Write units between checkpoints of the write-ahead log.
_CHECKPOINT_EVERY = 100


class StorageBusy(Exception):
    """A write waited longer than the database's write timeout for its turn; it was not made."""


@dataclass(slots=True)
class Statistics:
    """Counted at the seam, for both backends alike."""

    statements: int = 0
    reads: int = 0  # units run by read(), query_one() and query_all()
    writes: int = 0  # units run by write() and write_sql()


class Database(ABC):
    dialect: str
    version: str

    def __init__(self, *, write_timeout: float = 10.0) -> None:
        self.stats = Statistics()
        # How long a write may wait for its turn: one stuck writer must not hold every request.
        self.write_timeout = write_timeout

    @abstractmethod
    async def read(self, work: Callable[[Tx], T]) -> T:
        """Run read-only `work`; it sees committed data and takes no write lock."""

    @abstractmethod
    async def write(self, work: Callable[[Tx], T]) -> T:
        """Run `work` as one transaction: all of it is committed, or (if it raises) none of it."""

    async def query_one(self, sql: str, params: dict[str, Any]) -> Row | None:
        """The first row of a portable SQL read (named `:parameters`)."""
        statement = text(sql)

        def one(connection: Tx) -> Row | None:
            row = connection.execute(statement, params).first()
            return None if row is None else tuple(row)

        return await self.read(one)

    async def query_all(self, sql: str, params: dict[str, Any]) -> list[Row]:
        statement = text(sql)
        return await self.read(lambda connection: [tuple(row) for row in connection.execute(statement, params)])

    async def write_sql(self, steps: Sequence[SqlStep]) -> list[list[Row]]:
        """Run portable SQL statements as one write unit; the rows each one returned."""

        def run(connection: Tx) -> list[list[Row]]:
            answers: list[list[Row]] = []
            for sql, params in steps:
                result = connection.execute(text(sql), list(params) if len(params) > 1 else params[0])
                answers.append([tuple(row) for row in result] if result.returns_rows else [])
            return answers

        return await self.write(run)

    @abstractmethod
    async def upgrade(self, revision: str = "heads") -> None:
        """Bring the schema up to `revision`; safe to run from several processes at once."""

    @abstractmethod
    async def close(self) -> None: ...

    def _count(self, _connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Beginning a transaction is part of a write unit on both backends, not a statement of it.
        if statement != _BEGIN_IMMEDIATE:
            self.stats.statements += 1


_SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite", "sqlite+aiosqlite")
_POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+asyncpg")


def open_database(url: str, *, write_timeout: float = 10.0) -> Database:
    """A database for a URL as people write them: `sqlite:///path`, `postgresql://…` or `postgres://…`."""
    scheme, separator, rest = url.partition("://")
    if scheme in _SQLITE_SCHEMES and (rest in ("", "/") or rest.startswith("/:memory:") or "mode=memory" in rest):
        # Each connection would get a database of its own, and another process none at all.
        raise ValueError("database_url: an in-memory SQLite database cannot be shared by the server's connections "
                         "and processes; for a throwaway wiki use `wikigate serve --ephemeral`")
    if scheme in _SQLITE_SCHEMES and separator and rest.startswith("/") and len(rest) > 1:
        return SqliteDatabase(Path(rest[1:]), write_timeout=write_timeout)
    if scheme in _POSTGRES_SCHEMES and separator and rest:
        return PostgresDatabase("postgresql+asyncpg://" + rest, write_timeout=write_timeout)
    raise ValueError(f"database_url: {scheme or url!r} is not a database this server knows; "
                     "use sqlite:///path/to/file or postgresql://user@host/name")


def inserted_id(result: Any) -> int:
    """The primary key of the row an INSERT just added."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _migrate(connection: Connection, revision: str) -> None:
    if revision == "heads":
        # Most starts find the schema current, and an empty database (a test's, a throwaway
        # server's) can take the tables as the schema module declares them: a test holds
        # those equal to what the migrations build. Either way Alembic, a tenth of a second
        # to import and as much to run, is not needed.
        tables = inspect(connection).get_table_names()
        if not tables:
            metadata.create_all(connection)
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
            connection.execute(text("INSERT INTO alembic_version VALUES (:revision)"), {"revision": SCHEMA_REVISION})
            return
        if "alembic_version" in tables and connection.execute(
                text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_REVISION:
            return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


# -- SQLite ---------------------------------------------------------------------


def _sqlite_connection(path: Path, *, read_only: bool) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
    _sqlite_pragmas(connection, read_only=read_only)
    return connection


def _sqlite_pragmas(connection: sqlite3.Connection, *, read_only: bool) -> None:
    connection.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys=ON")
    if read_only:
        connection.execute("PRAGMA query_only=1")
    else:
        # WAL lets readers and the one writer overlap; in WAL mode NORMAL survives
        # application crashes, which is what it needs (FULL would fsync every commit).
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints (which fsync) run on a thread of their own, never inside a commit.
        connection.execute("PRAGMA wal_autocheckpoint=0")



class SqliteDatabase(Database):
    dialect = "sqlite"
    version = sqlite3.sqlite_version

    def __init__(self, path: Path, *, write_timeout: float = 10.0) -> None:
        super().__init__(write_timeout=write_timeout)
        self.path = path
        self._raw: sqlite3.Connection | None = None
        self._raw_write: sqlite3.Connection | None = None
        self._raw_checkpoint: sqlite3.Connection | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._lock_file: IO[bytes] | None = None
        # Held by whoever writes in this process (a flock is shared by the process's threads).
        self._writing = threading.Lock()
        self._queued = 0
        self._commits = 0
        self._checkpointer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-checkpoint")
        self._checkpointing: Future[None] | None = None
        self._reader = self._make_engine(read_only=True)
        self._writer = self._make_engine(read_only=False)
        # Take the write lock up front: a deferred transaction that reads first and
        # writes later fails with SQLITE_BUSY when another process wrote in between.
        event.listen(self._writer, "begin", lambda connection: connection.exec_driver_sql(_BEGIN_IMMEDIATE))

    def _make_engine(self, *, read_only: bool) -> Engine:
        engine = create_engine(
            f"sqlite:///{self.path}", poolclass=StaticPool,
            connect_args={"check_same_thread": False, "timeout": _BUSY_TIMEOUT_MS / 1000,
                          # Transactions are begun explicitly (BEGIN IMMEDIATE), never by the driver.
                          **({} if read_only else {"isolation_level": None})})
        event.listen(engine, "connect",
                     lambda connection, _record: _sqlite_pragmas(connection, read_only=read_only))
        event.listen(engine, "before_cursor_execute", self._count)
        return engine

    async def read(self, work: Callable[[Tx], T]) -> T:
        self.stats.reads += 1
        with self._reader.connect() as connection:
            return work(connection)

    async def write(self, work: Callable[[Tx], T]) -> T:
        return await self._serialised(lambda: self._in_transaction(work))

    # The fast path for the key-value store's statements: the standard library's
    # connection, on the same queue as every other write.
    async def write_sql(self, steps: Sequence[SqlStep]) -> list[list[Row]]:
        return await self._serialised(lambda: self._raw_transaction(steps))

    async def _serialised(self, unit: Callable[[], T]) -> T:
        self.stats.writes += 1
        # Only when nothing of this process waits: its writes keep their order.
        if self._queued == 0 and self._try_lock():
            try:
                result = unit()
            finally:
                self._unlock()
        else:
            result = await self._in_turn(unit)
        self._commits += 1
        if self._commits % _CHECKPOINT_EVERY == 0 and (self._checkpointing is None or self._checkpointing.done()):
            self._checkpointing = self._checkpointer.submit(self._checkpoint)
        return result

    def _checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, beside the writers (PASSIVE waits for nobody)."""
        if self._raw_checkpoint is None:
            self._raw_checkpoint = _sqlite_connection(self.path, read_only=False)
        self._raw_checkpoint.execute("PRAGMA wal_checkpoint(PASSIVE)")

    async def _in_turn(self, unit: Callable[[], T]) -> T:
        """Run `unit` on the writer thread, waiting at most `write_timeout` for its turn."""
        self._queued += 1
        ticket = _Ticket()
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._queued_unit, unit, ticket)
        future.add_done_callback(_collected)
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.write_timeout)
        except TimeoutError:
            # Given up, so it must never run: the writer skips it unless it has begun.
            if ticket.abandon():
                raise StorageBusy(f"no turn to write within {self.write_timeout:g} s") from None
            return await future
        finally:
            self._queued -= 1

    def _queued_unit(self, unit: Callable[[], T], ticket: _Ticket) -> T:
        # A caller that gave up waiting is not held; its unit, when its turn comes, is skipped.
        with self._queue():
            if not ticket.begin():
                raise StorageBusy("abandoned while waiting")
            return unit()

    def _in_transaction(self, work: Callable[[Tx], T]) -> T:
        with self._writer.begin() as connection:
            return work(connection)

    def _raw_transaction(self, steps: Sequence[SqlStep]) -> list[list[Row]]:
        if self._raw_write is None:
            self._raw_write = _sqlite_connection(self.path, read_only=False)
        connection = self._raw_write
        connection.execute(_BEGIN_IMMEDIATE)
        try:
            answers: list[list[Row]] = []
            for sql, params in steps:
                self.stats.statements += 1
                if len(params) == 1:
                    answers.append(connection.execute(sql, params[0]).fetchall())
                else:
                    connection.executemany(sql, params)
                    answers.append([])
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return answers

    def _lock_descriptor(self) -> int:
        if self._lock_file is None:
            self._lock_file = open(f"{self.path}.writer-lock", "a+b")  # noqa: SIM115
        return self._lock_file.fileno()

    def _try_lock(self) -> bool:
        if not self._writing.acquire(blocking=False):
            return False
        try:
            fcntl.flock(self._lock_descriptor(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._writing.release()
            return False
        return True

    def _unlock(self) -> None:
        fcntl.flock(self._lock_descriptor(), fcntl.LOCK_UN)
        self._writing.release()

    @contextlib.contextmanager
    def _queue(self) -> Iterator[None]:
        """Writers of every process wait here in turn, woken as soon as the lock is free."""
        self._writing.acquire()
        try:
            fcntl.flock(self._lock_descriptor(), fcntl.LOCK_EX)
        except BaseException:
            self._writing.release()
            raise
        try:
            yield
        finally:
            self._unlock()

    def _raw_reader(self) -> sqlite3.Connection:
        if self._raw is None:
            self._raw = _sqlite_connection(self.path, read_only=True)
        return self._raw

    # The fast path: the standard library's connection answers the same rows as the
    # portable one (tests/store/test_database.py), without SQLAlchemy's costs.
    async def query_one(self, sql: str, params: dict[str, Any]) -> Row | None:
        self.stats.reads += 1
        self.stats.statements += 1
        row: Row | None = self._raw_reader().execute(sql, params).fetchone()
        return row

    async def query_all(self, sql: str, params: dict[str, Any]) -> list[Row]:
        self.stats.reads += 1
        self.stats.statements += 1
        return self._raw_reader().execute(sql, params).fetchall()

    async def upgrade(self, revision: str = "heads") -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await self.write(lambda connection: _migrate(connection, revision))

    async def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._checkpointer.shutdown(wait=True)
        self._reader.dispose()
        self._writer.dispose()
        for connection in (self._raw, self._raw_write, self._raw_checkpoint):
            if connection is not None:
                connection.close()
        self._raw = self._raw_write = self._raw_checkpoint = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


def _collected(future: asyncio.Future[Any]) -> None:
    # An abandoned unit's outcome is nobody's to read; taking it keeps asyncio from complaining.
    if not future.cancelled():
        future.exception()


class _Ticket:
    """A queued write's state, shared by its caller and the writer thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._abandoned = False
        self._begun = False

    def begin(self) -> bool:
        with self._lock:
            if self._abandoned:
                return False
            self._begun = True
            return True

    def abandon(self) -> bool:
        """True when the unit will now never run; False when it already runs (and must be awaited)."""
        with self._lock:
            if self._begun:
                return False
            self._abandoned = True
            return True


# -- PostgreSQL -------------------------------------------------------------------

# Any fixed number: it names the lock that serialises concurrent schema upgrades.
_MIGRATION_LOCK = 7273837
# `:name`, but not the `::` of a cast.
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class PostgresDatabase(Database):
    dialect = "postgresql"
    version = ""  # as siteinfo reports it: not looked up

    def __init__(self, url: str, *, write_timeout: float = 10.0) -> None:
        super().__init__(write_timeout=write_timeout)
        self._engine: AsyncEngine = create_async_engine(url, pool_size=10, max_overflow=20)
        event.listen(self._engine.sync_engine, "before_cursor_execute", self._count)
        self._dsn = "postgresql://" + url.split("://", 1)[1]
        self._pool: asyncpg.Pool | None = None
        # A handful of statements, converted once each.
        self._converted: dict[str, tuple[str, list[str]]] = {}

    # The fast path: the driver's own pool, without SQLAlchemy's greenlet hand-offs
    # (about half a millisecond of CPU per statement); it answers the same rows as
    # the portable path (tests/store/test_database.py).
    async def query_one(self, sql: str, params: dict[str, Any]) -> Row | None:
        rows = await self.query_all(sql, params)
        return rows[0] if rows else None

    async def query_all(self, sql: str, params: dict[str, Any]) -> list[Row]:
        self.stats.reads += 1
        self.stats.statements += 1
        if self._pool is None:
            import asyncpg  # only PostgreSQL needs it: SQLite servers start without it

            self._pool = await asyncpg.create_pool(self._dsn, min_size=1, max_size=10)
        converted = self._converted.get(sql)
        if converted is None:
            converted = self._converted[sql] = self._positional(sql)
        positional, names = converted
        async with self._pool.acquire() as connection:
            records = await connection.fetch(positional, *(params[name] for name in names))
        return [tuple(record) for record in records]

    def _positional(self, sql: str) -> tuple[str, list[str]]:
        """The statement with `:name` parameters as asyncpg's `$1`, and the names in order."""
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        return _NAMED_PARAMETER.sub(number, sql), names

    async def read(self, work: Callable[[Tx], T]) -> T:
        self.stats.reads += 1
        async with self._engine.connect() as connection:
            # No BEGIN/ROLLBACK round trips around a read.
            reading = await connection.execution_options(isolation_level="AUTOCOMMIT")
            return await reading.run_sync(work)

    async def write(self, work: Callable[[Tx], T]) -> T:
        self.stats.writes += 1
        try:
            # Cancelled on time-out, the transaction is rolled back: nothing of it stays.
            return await asyncio.wait_for(self._write(work), self.write_timeout)
        except TimeoutError:
            raise StorageBusy(f"the write did not finish within {self.write_timeout:g} s") from None

    async def _write(self, work: Callable[[Tx], T]) -> T:
        async with self._engine.begin() as connection:
            return await connection.run_sync(work)

    async def upgrade(self, revision: str = "heads") -> None:
        def run(connection: Tx) -> None:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            _migrate(connection, revision)

        await self.write(run)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        await self._engine.dispose()




def time_order(timestamp: Any, row_id: Any, *, newest_first: bool, start: float | None, end: float | None,
               after: tuple[float, int] | None) -> tuple[list[Any], tuple[Any, Any]]:
    """Conditions and order for a list in time order, then id: from `start` to `end` (inclusive,
    in the list's direction), resuming at `after` = (time, id), MediaWiki's `timestamp|id` continuation."""
    conditions: list[Any] = []
    if start is not None:
        conditions.append(timestamp <= start if newest_first else timestamp >= start)
    if end is not None:
        conditions.append(timestamp >= end if newest_first else timestamp <= end)
    if after is not None:
        when, last_id = after
        if newest_first:
            conditions.append(or_(timestamp < when, and_(timestamp == when, row_id <= last_id)))
        else:
            conditions.append(or_(timestamp > when, and_(timestamp == when, row_id >= last_id)))
    order = (timestamp.desc(), row_id.desc()) if newest_first else (timestamp.asc(), row_id.asc())
    return conditions, order
