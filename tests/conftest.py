"""Fixtures that start real things: a database (SQLite, or PostgreSQL when
WIKIGATE_TEST_BACKEND=postgresql), the application, and an HTTP client.

The PostgreSQL run creates a throwaway database per test session and drops it
afterwards; with WIKIGATE_REQUIRE_POSTGRES=1 (set by CI) a missing server is
an error rather than a skip.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from wikigate.app import Runtime, build_runtime, create_app
from wikigate.clock import FixedClock
from wikigate.config import Settings

BACKEND = os.environ.get("WIKIGATE_TEST_BACKEND", "sqlite")
PG_ADMIN_URL = os.environ.get("WIKIGATE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_admin(statement: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this test session, or None on SQLite runs."""
    if BACKEND != "postgresql":
        yield None
        return
    name = f"wikigate_test_{secrets.token_hex(4)}"
    try:
        _pg_admin(f'CREATE DATABASE "{name}"')
    except Exception as error:  # server missing or refusing
        if os.environ.get("WIKIGATE_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL not available: {error}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(1_790_000_000.0)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, made once and copied for each test."""
    from wikigate.store.database import open_database

    path = tmp_path_factory.mktemp("template") / "wikigate.sqlite"

    async def migrate() -> None:
        database = open_database(f"sqlite:///{path}")
        await database.upgrade()
        await database.close()

    asyncio.run(migrate())
    return path


@pytest.fixture
def settings(tmp_path: Path, pg_database: str | None, sqlite_template: Path) -> Settings:
    data_dir = tmp_path / "data"
    if pg_database is None:
        data_dir.mkdir()
        shutil.copyfile(sqlite_template, data_dir / "wikigate.sqlite")
    # A low PBKDF2 cost keeps tests fast; the format is the same.
    return Settings(data_dir=data_dir, secret_key="test-secret", pbkdf2_cost=1000,
                    database_url=pg_database or "", sitename="Wikigate", server="http://wiki.test")


def truncate_all(tx: Any) -> None:
    """Empty every table: PostgreSQL tests share one database."""
    from sqlalchemy import text

    from wikigate.store.schema import metadata

    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    tx.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


async def _reset_database(runtime: Runtime) -> None:
    await runtime.database.write(truncate_all)


@pytest.fixture
async def runtime(settings: Settings, clock: FixedClock, request: pytest.FixtureRequest) -> AsyncIterator[Runtime]:
    """The services of a test, built from `settings` changed by the test's `configure` marker, if any.

    `@pytest.mark.configure(lambda settings: replace(settings, ...))` sets up a
    test with other settings: services take their settings when they are built.
    """
    marker = request.node.get_closest_marker("configure")
    if marker is not None:
        settings = marker.args[0](settings)
    built = await build_runtime(settings, clock=clock)
    if built.database.dialect == "postgresql":
        await _reset_database(built)
    try:
        yield built
    finally:
        await built.close()


@pytest.fixture
def services(runtime: Runtime) -> Any:
    return runtime.services


@pytest.fixture
async def app(runtime: Runtime) -> Any:
    # The runtime's settings, which a `configure` marker may have changed.
    return create_app(runtime.services.settings, runtime=runtime)


class Api:
    """A client with a cookie jar that speaks to api.php the way MediaWiki clients do."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, **params: Any) -> httpx.Response:
        return await self.client.get("/w/api.php", params={"format": "json", **params})

    async def post(self, query: dict[str, Any] | None = None, **params: Any) -> httpx.Response:
        return await self.client.post("/w/api.php", params=query or {}, data={"format": "json", **params})

    async def token(self, kind: str = "csrf") -> str:
        response = await self.get(action="query", meta="tokens", type=kind)
        return str(response.json()["query"]["tokens"][f"{kind}token"])

    async def login(self, name: str, password: str) -> dict[str, Any]:
        token = await self.token("login")
        response = await self.post(action="clientlogin", username=name, password=password,
                                   loginreturnurl="http://wiki.test/", logintoken=token)
        return dict(response.json())


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=transport, base_url="http://wiki.test") as http:
            yield http


@pytest.fixture
async def api(client: httpx.AsyncClient) -> Api:
    return Api(client)


@pytest.fixture
async def new_api(app: Any, client: httpx.AsyncClient) -> AsyncIterator[Any]:
    """Makes further independent clients (own cookie jars) against the same running app."""
    clients: list[httpx.AsyncClient] = []

    def make(ip: str = "127.0.0.1") -> Api:
        transport = httpx.ASGITransport(app=app, client=(ip, 50001))
        http = httpx.AsyncClient(transport=transport, base_url="http://wiki.test")
        clients.append(http)
        return Api(http)

    yield make
    for http in clients:
        await http.aclose()


@pytest.fixture
async def make_user(services: Any) -> Any:
    async def make(name: str, password: str, *, groups: tuple[str, ...] = (), email: str = "") -> Any:
        return await services.accounts.create(name, password, groups=groups, email=email)

    return make


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_database: str | None) -> Any:
    """Runs `wikigate` commands against a fresh SQLite data directory."""
    from click.testing import CliRunner

    from wikigate.cli import main

    monkeypatch.setenv("WIKIGATE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WIKIGATE_PBKDF2_COST", "1000")
    (tmp_path / "none.toml").touch()
    monkeypatch.setenv("WIKIGATE_CONFIG", str(tmp_path / "none.toml"))
    if pg_database:
        pytest.skip("the CLI tests use their own SQLite database")

    def invoke(*args: str, stdin: str | None = None) -> Any:
        return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)

    return invoke
