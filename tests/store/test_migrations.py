"""The migrations and the schema module describe one schema.

An empty database takes its tables from the schema module (fast, no Alembic);
one made by an earlier release goes through the migrations. Both roads must
end at the same tables, columns, types and indexes, on both backends.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.conftest import BACKEND, PG_ADMIN_URL, _pg_admin
from wikigate.store.database import MIGRATIONS_DIR, SCHEMA_REVISION, Database, open_database
from wikigate.store.schema import metadata


def test_the_schema_revision_is_the_newest_migration() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == [SCHEMA_REVISION]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite"
        return
    if BACKEND != "postgresql":
        pytest.skip("PostgreSQL runs in the PostgreSQL pass of the suite")
    name = f"wikigate_migrations_{secrets.token_hex(4)}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _differences(database: Database) -> list[Any]:
    def compare(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    return await database.read(compare)


async def _revision(database: Database) -> str | None:
    row = await database.query_one("SELECT version_num FROM alembic_version", {})
    return None if row is None else str(row[0])


async def test_the_migrations_build_what_the_schema_module_declares(empty_url: str) -> None:
    database = open_database(empty_url)
    try:
        await database.upgrade("0001")  # a database of the first release, then every migration since
        await database.upgrade()
        assert await _revision(database) == SCHEMA_REVISION
        assert await _differences(database) == []
    finally:
        await database.close()


async def test_an_empty_database_is_created_at_the_newest_revision(empty_url: str) -> None:
    database = open_database(empty_url)
    try:
        await database.upgrade()
        assert await _revision(database) == SCHEMA_REVISION
        assert await _differences(database) == []
        await database.upgrade()  # a second start finds it current and changes nothing
        assert await _revision(database) == SCHEMA_REVISION
    finally:
        await database.close()
