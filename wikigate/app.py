"""The ASGI application: wires settings, storage and services, then serves api.php.

No module-level globals: everything a request needs hangs off `Services`,
built once per process by `create_app`.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from wikigate import titles
from wikigate.api.main import Pipeline
from wikigate.api.registry import Registry
from wikigate.auth.hashing import PasswordFactory
from wikigate.clock import Clock
from wikigate.config import Settings
from wikigate.mail import Mailer, mailer_from_settings
from wikigate.services.sessions import SessionStore
from wikigate.store import db
from wikigate.store.kv import DatabaseStore, KeyValueStore, RedisStore, SqliteStore
from wikigate.store.sqlite_direct import DirectSqlite
from wikigate.store.users import UserRepository

log = logging.getLogger("wikigate")
API_METHODS = ["GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass
class Services:
    """Everything shared by the requests of one process."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    kv: KeyValueStore
    sessions: SessionStore
    users: UserRepository
    namespaces: titles.Namespaces
    hasher: PasswordFactory
    mailer: Mailer
    registry: Registry
    direct: DirectSqlite | None = None  # SQLite only: the fast path for per-request reads
    extras: dict[str, Any] = field(default_factory=dict)

    async def close(self) -> None:
        await self.mailer.drain()
        await self.kv.close()
        if self.direct is not None:
            self.direct.close()
        await self.engine.dispose()


def ensure_secret_key(settings: Settings) -> Settings:
    """A configured secret, or one generated once and kept in the data directory."""
    if settings.secret_key:
        return settings
    from dataclasses import replace

    path = Path(settings.data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return replace(settings, secret_key=path.read_text().strip())


async def build_services(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Services:
    clock = clock or Clock()
    settings = ensure_secret_key(settings)
    if not settings.database_url:
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = db.create_engine(settings.effective_database_url)
    if migrate:
        await db.upgrade(engine)
    direct = DirectSqlite(Path(engine.url.database or "")) if engine.dialect.name == "sqlite" else None
    kv: KeyValueStore
    if settings.redis_url:
        kv = RedisStore(settings.redis_url, settings.redis_prefix)
    elif direct is not None:
        kv = SqliteStore(direct, clock)
    else:
        kv = DatabaseStore(engine, clock)
    mailer = mailer_from_settings(
        smtp_host=settings.smtp_host or None, smtp_port=settings.smtp_port, smtp_tls=settings.smtp_tls,
        smtp_user=settings.smtp_user or None, smtp_password=settings.smtp_password or None,
        outbox_dir=Path(settings.data_dir) / "outbox", smtp_timeout=settings.smtp_timeout, clock=clock,
    )
    return Services(
        settings=settings,
        clock=clock,
        engine=engine,
        kv=kv,
        sessions=SessionStore(kv, settings, clock),
        users=UserRepository(engine, direct),
        namespaces=titles.namespaces(settings.sitename),
        hasher=PasswordFactory(default_type=settings.password_default, pbkdf2_cost=settings.pbkdf2_cost),
        mailer=mailer,
        registry=Registry(),
        direct=direct,
    )


def create_app(settings: Settings, *, clock: Clock | None = None, services: Services | None = None) -> Starlette:
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["services"] = services or await build_services(settings, clock=clock)
        state["pipeline"] = Pipeline(state["services"])
        app.state.services = state["services"]
        try:
            yield
        finally:
            if services is None:
                await state["services"].close()

    async def api(request: Request) -> Response:
        return await state["pipeline"].handle(request)

    async def index(request: Request) -> Response:
        return await _index(request, state["services"])

    script = settings.script_path.rstrip("/")
    routes = [
        # Like PHP, api.php answers every method; only POST bodies are read.
        Route(f"{script}/api.php", api, methods=API_METHODS),
        Route("/api.php", api, methods=API_METHODS),
        Route(f"{script}/index.php", index, methods=["GET", "POST", "HEAD"]),
        Route("/index.php", index, methods=["GET", "POST", "HEAD"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _index(request: Request, services: Services) -> Response:
    """The part of index.php that API clients touch.

    api-testing drains the job queue through `Special:RunJobs` after each edit;
    this server runs no deferred jobs, so the queue is always empty.
    """
    form = dict(request.query_params)
    if request.method == "POST":
        form.update({k: v for k, v in (await request.form()).items() if isinstance(v, str)})
    title = form.get("title", "")
    if title.replace("_", " ") == "Special:RunJobs":
        return JSONResponse({"jobs": {}, "reached": "none-ready"})
    return RedirectResponse(services.settings.api_url, status_code=302)
