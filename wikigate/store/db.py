"""Database engine: SQLite by default, PostgreSQL when configured.

Migrations run through Alembic on the same async engine, so there is one
driver per backend and no second, synchronous connection path to maintain.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import Executable

if TYPE_CHECKING:
    from wikigate.store.sqlite_direct import DirectSqlite

T = TypeVar("T")
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and the single writer of several worker processes overlap;
    # NORMAL sync is durable across application crashes, which is what WAL needs.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    """Bring the schema up to `revision`; safe to run from several processes at once."""

    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Serialise concurrent upgrades (several workers starting together).
            await connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7273837)")
        await connection.run_sync(run)


async def read_first(engine: AsyncEngine, direct: DirectSqlite | None, statement: Executable) -> Row[Any] | None:
    """One row of a read: straight from the SQLite file when possible, else through the pool."""
    if direct is not None:
        return direct.first(statement)
    async with _reading(engine) as connection:
        return (await connection.execute(statement)).first()


async def read_all(engine: AsyncEngine, direct: DirectSqlite | None, statement: Executable) -> list[Row[Any]]:
    if direct is not None:
        return direct.all(statement)
    async with _reading(engine) as connection:
        return list((await connection.execute(statement)).all())


@contextlib.asynccontextmanager
async def _reading(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A pooled connection for one-statement reads, without BEGIN and ROLLBACK round trips."""
    async with engine.connect() as connection:
        yield await connection.execution_options(isolation_level="AUTOCOMMIT")


async def transaction(engine: AsyncEngine, direct: DirectSqlite | None, work: Callable[[Connection], T]) -> T:
    """Run a synchronous unit of work in one transaction, off the event loop.

    On SQLite the whole unit runs on the writer thread in one hand-off; on
    PostgreSQL it runs through the async engine's connection (`run_sync`).
    """
    if direct is not None:
        return await direct.run(work)
    async with engine.begin() as connection:
        return await connection.run_sync(work)


async def read(engine: AsyncEngine, direct: DirectSqlite | None, work: Callable[[Connection], T]) -> T:
    """Run a synchronous, read-only unit of work: on SQLite on the event loop's thread, no lock taken."""
    if direct is not None:
        return direct.read(work)
    async with engine.connect() as connection:
        return await connection.run_sync(work)
