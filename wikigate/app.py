"""The composition root: builds every service once per process, then serves api.php.

Nothing below this module builds its own dependencies: `build_runtime` opens
the database and the key-value store, makes the mailer, and hands each
service what it needs through its constructor. The request pipeline and the
CLI get the typed `Services` record; `Runtime` also keeps what must be closed.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from wikigate import titles
from wikigate.api.main import Pipeline
from wikigate.api.registry import Registry
from wikigate.auth.hashing import PasswordFactory
from wikigate.auth.oauthtokens import TokenSigner, new_private_key
from wikigate.clock import Clock, ShiftedClock
from wikigate.config import Settings
from wikigate.mail import Mailer, mailer_from_settings
from wikigate.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from wikigate.metrics import Metrics
from wikigate.netranges import AddressRanges
from wikigate.pages import page_routes
from wikigate.randomness import Randomness
from wikigate.rest import oauth_routes
from wikigate.services.accounts import Accounts
from wikigate.services.accountstatus import AccountStatuses
from wikigate.services.blocks import Blocks
from wikigate.services.deletion import Deletions
from wikigate.services.identity import Identity
from wikigate.services.login import Login
from wikigate.services.moves import Moves
from wikigate.services.oauth import OAuth
from wikigate.services.oauth1 import OAuth1
from wikigate.services.pages import Pages
from wikigate.services.passwords import Passwords
from wikigate.services.patrol import Patrols
from wikigate.services.protection import Protections
from wikigate.services.queries import Queries
from wikigate.services.ratelimit import RateLimiter
from wikigate.services.rollback import Rollbacks
from wikigate.services.sessions import SessionStore
from wikigate.services.suite import Services
from wikigate.services.testcontrols import TestControls
from wikigate.store.database import Database, open_database
from wikigate.store.kv import DatabaseStore, KeyValueStore, RedisStore
from wikigate.testapi import testing_routes

log = logging.getLogger("wikigate")
API_METHODS = ["GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass(frozen=True, slots=True)
class Runtime:
    """The services of one process and the resources behind them."""

    services: Services
    database: Database
    kv: KeyValueStore
    mailer: Mailer

    async def close(self) -> None:
        # Mail still unsent when the wait is over goes to the outbox, not nowhere.
        await self.mailer.drain(timeout=self.services.settings.shutdown_timeout)
        await self.kv.close()
        await self.database.close()
        self.services.metrics.close()

    async def readiness(self) -> dict[str, str]:
        """Each storage the requests need, "ok" or why not (for /readyz)."""
        states: dict[str, str] = {}
        try:
            await self.database.query_one("SELECT 1", {})
            states["database"] = "ok"
        except Exception as error:
            states["database"] = f"{type(error).__name__}: {error}"
        if isinstance(self.kv, RedisStore):
            try:
                await self.kv.check()
                states["redis"] = "ok"
            except Exception as error:
                states["redis"] = f"{type(error).__name__}: {error}"
        return states


def ensure_secret_key(settings: Settings, random: Randomness) -> Settings:
    """A configured secret, or one generated once and kept in the data directory."""
    if settings.secret_key:
        return settings
    path = Path(settings.data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(random.token_hex(32))
        path.chmod(0o600)
    return replace(settings, secret_key=path.read_text().strip())


def oauth_signer(settings: Settings) -> TokenSigner:
    """The OAuth 2 token signer, with the configured key or one generated once into data_dir."""
    if settings.oauth2_private_key:
        path = Path(settings.oauth2_private_key)
        try:
            pem = path.read_bytes()
            signer = TokenSigner(lambda: pem, settings.public_server)
            signer.sign({})  # an operator's key is checked at start, where a mistake is named
        except (OSError, ValueError) as error:
            raise StartupError(f"oauth2_private_key: {path} is not a readable RSA private key ({error})") from None
        return signer
    return TokenSigner(lambda: _generated_key(Path(settings.data_dir) / "oauth2.key"), settings.public_server)


def _generated_key(path: Path) -> bytes:
    """data_dir's key, made by whichever process needs one first: every other process finds it."""
    if not path.exists():
        candidate = path.with_name(f"{path.name}.{os.getpid()}")
        candidate.write_bytes(new_private_key())
        candidate.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(candidate, path)  # never replaces a key another process made meanwhile
        candidate.unlink()
    return path.read_bytes()


class StartupError(Exception):
    """What keeps the server from starting, in one line that names the setting."""


async def build_runtime(settings: Settings, *, clock: Clock | None = None, random: Randomness | None = None,
                        migrate: bool = True) -> Runtime:
    clock = clock or Clock()
    shifted = ShiftedClock(clock) if settings.testing else None
    clock = shifted or clock
    random = random or Randomness()
    data_dir = Path(settings.data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        # A name of this process's own: several commands may start at once on one data directory.
        probe = data_dir / f".writable-{os.getpid()}-{random.token_hex(4)}"
        probe.touch()
        probe.unlink(missing_ok=True)
    except OSError as error:
        raise StartupError(f"data_dir: {data_dir} cannot be written ({error.strerror or error})") from None
    settings = ensure_secret_key(settings, random)
    try:
        database = open_database(settings.effective_database_url, write_timeout=settings.write_timeout)
    except ValueError as error:
        raise StartupError(str(error)) from None
    try:
        if migrate:
            await database.upgrade()
        else:
            await database.query_one("SELECT 1", {})
    except Exception as error:
        await database.close()
        raise StartupError(f"database_url: the database cannot be used ({type(error).__name__}: "
                           f"{str(error).splitlines()[0] if str(error) else ''})") from None
    kv: KeyValueStore = DatabaseStore(database, clock)
    if settings.redis_url:
        redis = RedisStore(settings.redis_url, settings.redis_prefix)
        try:
            await redis.check()
        except Exception as error:
            await redis.close()
            await database.close()
            raise StartupError(f"redis_url: Redis does not answer at {settings.redis_url} ({error})") from None
        kv = redis
    # Set by `wikigate serve` for several workers (or by whoever runs several): see wikigate.metrics.
    multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    metrics = Metrics(Path(multiprocess_dir) if multiprocess_dir else None)
    mailer = mailer_from_settings(
        smtp_host=settings.smtp_host or None, smtp_port=settings.smtp_port, smtp_tls=settings.smtp_tls,
        smtp_user=settings.smtp_user or None, smtp_password=settings.smtp_password or None,
        outbox_dir=Path(settings.data_dir) / "outbox", smtp_timeout=settings.smtp_timeout, clock=clock,
        metrics=metrics,
    )
    namespaces = titles.namespaces(settings.sitename)
    hasher = PasswordFactory(random, default_type=settings.password_default, pbkdf2_cost=settings.pbkdf2_cost)
    rate_limiter = RateLimiter(kv, settings, metrics)
    accounts = Accounts(database, hasher, clock, random, namespaces)
    blocks = Blocks(database, settings, namespaces, random)
    oauth = OAuth(database, settings, oauth_signer(settings), random)
    services = Services(
        settings=settings,
        clock=clock,
        random=random,
        metrics=metrics,
        namespaces=namespaces,
        sessions=SessionStore(kv, settings, clock, random),
        identity=Identity(database, settings),
        accounts=accounts,
        passwords=Passwords(settings, accounts, mailer, random, blocks, rate_limiter),
        login=Login(settings, database, accounts, kv, hasher, namespaces, clock, random, metrics, blocks),
        pages=Pages(database, settings, namespaces, rate_limiter),
        protections=Protections(database, settings, namespaces),
        deletions=Deletions(database, settings, namespaces),
        moves=Moves(database, settings, namespaces, rate_limiter),
        rollbacks=Rollbacks(database, settings, namespaces, rate_limiter),
        patrols=Patrols(database, settings, namespaces),
        oauth=oauth,
        oauth1=OAuth1(database, settings, kv, random, oauth),
        blocks=blocks,
        account_statuses=AccountStatuses(database, namespaces, random),
        queries=Queries(database, namespaces),
        rate_limiter=rate_limiter,
        testing=TestControls(kv, shifted, accounts, random) if shifted else None,
    )
    return Runtime(services=services, database=database, kv=kv, mailer=mailer)


def create_app(settings: Settings, *, clock: Clock | None = None, runtime: Runtime | None = None) -> Starlette:
    """The ASGI application; it builds its own runtime at start-up unless one is given."""
    pipelines: list[Pipeline] = []
    runtimes: list[Runtime] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        built = runtime or await build_runtime(settings, clock=clock)
        runtimes.append(built)
        pipelines.append(Pipeline(built.services, Registry()))
        # What start-up built lives as long as the process: keep it out of the collector's
        # full passes, which otherwise walk it all and stall every request for tens of ms.
        gc.freeze()
        log.info("worker %d ready", os.getpid())
        try:
            yield
        finally:
            log.info("worker %d stopping: requests in flight have finished or timed out", os.getpid())
            pipelines.clear()
            runtimes.clear()
            if runtime is None:
                await built.close()
            log.info("worker %d stopped", os.getpid())

    async def api(request: Request) -> Response:
        return await pipelines[0].handle(request)

    async def healthz(request: Request) -> Response:
        # The process answers: nothing else is asked, so a load balancer's probe costs nothing.
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        states = await runtimes[0].readiness()
        ready = all(state == "ok" for state in states.values())
        return JSONResponse(states, status_code=200 if ready else 503,
                            headers={"Cache-Control": "no-store"})

    metrics_readers = AddressRanges(settings.metrics_allow, setting="metrics_allow")

    async def metrics(request: Request) -> Response:
        proxies = pipelines[0].proxies
        peer = request.client.host if request.client else ""
        client, _ = proxies.client(peer, request.headers)
        # A request relayed by a proxy that is not trusted could come from anyone.
        relayed = "x-forwarded-for" in request.headers and not proxies.trusts(peer)
        if relayed or client not in metrics_readers:
            return PlainTextResponse("Not Found", status_code=404)
        return Response(runtimes[0].services.metrics.render(), media_type=METRICS_CONTENT_TYPE,
                        headers={"Cache-Control": "no-store"})

    script = settings.script_path.rstrip("/")
    routes = [
        # Like PHP, api.php answers every method; only POST bodies are read.
        Route(f"{script}/api.php", api, methods=API_METHODS),
        Route("/api.php", api, methods=API_METHODS),
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics, methods=["GET", "HEAD"]),
        *oauth_routes(script, pipelines),
        *page_routes(script, pipelines),
        *testing_routes(lambda: pipelines[0].services),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
