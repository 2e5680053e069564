"""The one road to the database: units of work are all or nothing, writers queue, reads agree.

Run on SQLite, and on PostgreSQL in the suite's PostgreSQL pass.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path

import pytest

from wikigate.clock import Clock
from wikigate.store import users
from wikigate.store.database import Database, SqliteDatabase, Tx, open_database
from wikigate.store.kv import DatabaseStore


def _insert(tx: Tx, name: str) -> users.UserRecord:
    return users.insert(tx, name=name, password="", email="", real_name="", token="t", now=1.0)


async def test_a_unit_that_fails_midway_leaves_nothing(database: Database) -> None:
    def half_done(tx: Tx) -> None:
        _insert(tx, "Half")
        raise RuntimeError("crash in the middle of a unit of work")

    with pytest.raises(RuntimeError):
        await database.write(half_done)
    assert await users.find_by_name(database, "Half") is None
    # The writer is not left in a broken transaction: the next unit works.
    await database.write(lambda tx: _insert(tx, "Whole"))
    assert await users.find_by_name(database, "Whole") is not None


async def test_concurrent_units_each_see_the_others_committed_work(database: Database) -> None:
    if not isinstance(database, SqliteDatabase):
        pytest.skip("the writer queue serialises SQLite units; PostgreSQL units lock the rows they change")
    await database.write(lambda tx: _insert(tx, "Counter"))

    def bump(tx: Tx) -> None:
        record = users.by_name(tx, "Counter")
        assert record is not None
        users.update_user(tx, record.id, editcount=record.editcount + 1)

    await asyncio.gather(*(database.write(bump) for _ in range(40)))
    record = await users.find_by_name(database, "Counter")
    assert record is not None and record.editcount == 40


def _bump_in_another_process(path: str, times: int) -> None:
    async def run() -> None:
        database = open_database(f"sqlite:///{path}")
        store = DatabaseStore(database, Clock())
        for _ in range(times):
            await store.incr("shared-counter", 3600)
        await database.close()

    asyncio.run(run())


async def test_writers_of_several_processes_take_turns_without_losing_a_write(database: Database) -> None:
    if not isinstance(database, SqliteDatabase):
        pytest.skip("the file lock queues SQLite writers; PostgreSQL locks rows itself")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_bump_in_another_process, args=(str(database.path), 150)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    row = await database.query_one("SELECT value FROM objectcache WHERE key = :key", {"key": "shared-counter"})
    assert row == ("450",)


async def test_the_fast_reads_answer_as_the_portable_path(database: Database) -> None:
    """On SQLite query_one/query_all skip SQLAlchemy; they must return what the portable path returns."""
    for name in ("Alice", "Bob"):
        record = await database.write(lambda tx, name=name: _insert(tx, name))
        await database.write(lambda tx, record=record: users.write_groups(
            tx, record.id, removed=(), added={"sysop": None, "bot": 2e9}))
    sql_one = 'SELECT id, name, editcount, registration FROM "user" WHERE name = :name'
    sql_all = ('SELECT "user".name, user_groups."group", user_groups.expiry FROM "user" '
               'JOIN user_groups ON user_groups.user_id = "user".id ORDER BY "user".name, user_groups."group"')
    for params in ({"name": "Alice"}, {"name": "Nobody"}):
        assert await database.query_one(sql_one, params) == await Database.query_one(database, sql_one, params)
    fast = await database.query_all(sql_all, {})
    assert fast == await Database.query_all(database, sql_all, {})
    assert fast == [("Alice", "bot", 2e9), ("Alice", "sysop", None), ("Bob", "bot", 2e9), ("Bob", "sysop", None)]
    found = await users.find_with_groups(database, 1)
    assert found is not None and sorted(m.group for m in found[1]) == ["bot", "sysop"]


async def test_statements_and_units_are_counted_at_the_seam(database: Database) -> None:
    before = (database.stats.statements, database.stats.reads, database.stats.writes)
    await database.write(lambda tx: _insert(tx, "Counted"))
    await users.find_by_name(database, "Counted")
    await database.read(lambda tx: users.by_name(tx, "Counted"))
    after = (database.stats.statements, database.stats.reads, database.stats.writes)
    assert (after[0] - before[0], after[1] - before[1], after[2] - before[2]) == (3, 2, 1)


def test_any_sqlite_url_opens_the_file(tmp_path: Path) -> None:
    for url in (f"sqlite:///{tmp_path}/a.sqlite", f"sqlite+aiosqlite:///{tmp_path}/a.sqlite"):
        database = open_database(url)
        assert isinstance(database, SqliteDatabase) and database.path == tmp_path / "a.sqlite"


async def test_the_write_ahead_log_is_checkpointed_beside_the_writers(database: Database) -> None:
    if not isinstance(database, SqliteDatabase):
        pytest.skip("PostgreSQL checkpoints on its own")
    # Commits never checkpoint themselves (that would fsync on the event loop) ...
    setting = await database.write(lambda tx: tx.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())
    assert setting == 0
    for number in range(250):
        await database.write(lambda tx, number=number: _insert(tx, f"Wal {number}"))
    # ... a thread of its own does, every so many units.
    assert database._checkpointing is not None
    database._checkpointing.result(timeout=30)
