"""Fixtures of the store tests: a migrated database of each backend, and key-value stores on each.

SQLite runs always; PostgreSQL runs in the PostgreSQL pass of the suite
(WIKIGATE_TEST_BACKEND=postgresql) and Redis wherever it answers (in CI it must).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import truncate_all
from tests.helpers import REDIS_URL, drop_redis_keys, redis_available
from wikigate.clock import FixedClock
from wikigate.store.database import Database, open_database
from wikigate.store.kv import DatabaseStore, KeyValueStore, RedisStore


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
                   pg_database: str | None) -> AsyncIterator[Database]:
    if request.param == "postgresql":
        if pg_database is None:
            pytest.skip("PostgreSQL runs in the PostgreSQL pass of the suite")
        opened = open_database(pg_database)
        await opened.upgrade()
        await opened.write(truncate_all)
    else:
        path = tmp_path / "store.sqlite"
        path.write_bytes(sqlite_template.read_bytes())
        opened = open_database(f"sqlite:///{path}")
    try:
        yield opened
    finally:
        await opened.close()




@pytest.fixture(params=["database", "redis"])
async def kv(request: pytest.FixtureRequest, database: Database, clock: FixedClock) -> AsyncIterator[KeyValueStore]:
    if request.param == "database":
        yield DatabaseStore(database, clock)
        return
    if database.dialect != "sqlite":
        pytest.skip("Redis needs one pass only")
    if not await redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"wikigate-test-{secrets.token_hex(4)}:"
    store = RedisStore(REDIS_URL, prefix)
    try:
        yield store
    finally:
        await store.close()
        await drop_redis_keys(prefix)
