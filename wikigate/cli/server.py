"""Serving, schema upgrades and the first Admin account."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from wikigate.cli.common import fail, json_option, main, run, say, settings_of
from wikigate.config import Settings
from wikigate.logsetup import configure_logging
from wikigate.services.accounts import AccountError
from wikigate.services.suite import Services


async def _nothing(services: Services) -> None:
    """Building the services migrates the database; nothing else is needed."""
    await asyncio.sleep(0)


@main.command()
@click.option("--host", default=None, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on (0: any free one, reported).")
@click.option("--workers", type=int, default=None, help="Worker processes.")
@click.option("--ephemeral", is_flag=True,
              help="A throwaway wiki: a fresh data directory, removed when the server stops.")
@click.option("--fixtures", type=click.Path(path_type=Path), default=None,
              help="Create what this fixtures file lists before serving (see `wikigate seed`).")
@click.option("--testing", is_flag=True,
              help="A test server: /testing/ moves its clock and arms faults. Never for a wiki people use.")
@click.option("--json", "as_json", is_flag=True, help="Announce the server as one JSON line (as --ephemeral does).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None, ephemeral: bool,
          fixtures: Path | None, testing: bool, as_json: bool) -> None:
    """Serve the API (runs pending migrations first).

    With --ephemeral, --fixtures or --json, one JSON line on standard output says where the API is
    and what the fixtures made, for a CI script in any language to read.
    """
    settings = settings_of(ctx)
    if testing:
        os.environ["WIKIGATE_TESTING"] = "true"  # the workers read their settings again
        settings = replace(settings, testing=True)
    if not ephemeral:
        sys.exit(_serve(settings, host, port, workers, fixtures, announce=as_json))
    directory = tempfile.mkdtemp(prefix="wikigate-ephemeral-")
    # The workers read their settings again: they learn of the throwaway directory from the environment.
    os.environ["WIKIGATE_DATA_DIR"] = directory
    os.environ["WIKIGATE_DATABASE_URL"] = ""

    def stop(signum: int, frame: object) -> None:
        # uvicorn hands the stopping signal back once it has shut down: end normally, so that
        # the directory is removed (the default action would kill the process first).
        raise SystemExit(0)

    for stopping in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stopping, stop)
    try:
        status = _serve(replace(settings, data_dir=Path(directory), database_url=""), host, port, workers, fixtures,
                        announce=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    sys.exit(status)


def _serve(settings: Settings, host: str | None, port: int | None, workers: int | None, fixtures: Path | None,
           *, announce: bool = False) -> int:
    # Imported here: the other commands have no use for the server's libraries.
    import uvicorn

    from wikigate.fixtures import FixtureError, read_fixtures, seed
    from wikigate.server import run_one, run_workers

    host = host or settings.host
    port = settings.port if port is None else port
    workers = workers or settings.workers
    configure_logging(settings.log_format, settings.log_level)
    made: dict[str, Any] = {}

    async def prepare(services: Services) -> None:
        if fixtures is not None:
            try:
                made.update(await seed(services, read_fixtures(fixtures)))
            except FixtureError as error:
                fail(f"fixtures: {error}")

    run(settings, prepare)  # migrate (and seed) once, before the workers start
    config = uvicorn.Config(
        "wikigate.asgi:app", host=host, port=port, workers=workers, log_config=None, log_level=settings.log_level,
        access_log=False, proxy_headers=False, server_header=False, lifespan="on",
        http="wikigate.server:BoundedHttpProtocol", timeout_keep_alive=int(settings.keep_alive_timeout),
        limit_concurrency=settings.max_connections, timeout_graceful_shutdown=int(settings.shutdown_timeout))
    # Bound and listening here, so that port 0's choice is known before the line that reports it,
    # and a client that connects as soon as it reads the line waits in the queue, not refused.
    listener = config.bind_socket()
    listener.listen(config.backlog)
    bound = listener.getsockname()[1]
    if not settings.server:
        # The app (loaded by uvicorn from the environment) names itself by the port it really has.
        os.environ["WIKIGATE_PORT"] = str(bound)
        settings = replace(settings, port=bound)
    api_url = settings.api_url
    if announce or fixtures is not None:
        where = urlsplit(api_url)
        line = {"api_url": api_url, "rest_url": api_url.replace("/api.php", "/rest.php"),
                "data_dir": str(settings.data_dir), "fixtures": made}
        if settings.testing:
            line["testing_url"] = f"{where.scheme}://{where.netloc}/testing"
        click.echo(json.dumps(line))
    else:
        click.echo(f"wikigate serving {api_url} with {workers} worker(s)")
    sys.stdout.flush()
    with _metrics_directory(workers) as metrics_dir:
        if workers == 1:
            return run_one(config, listener)
        return run_workers(config, workers, log_format=settings.log_format, log_level=settings.log_level,
                           metrics_dir=metrics_dir, listener=listener)


@contextlib.contextmanager
def _metrics_directory(workers: int) -> Iterator[Path | None]:
    """Where several workers keep their metrics, so that /metrics adds up all of them.

    prometheus-client reads PROMETHEUS_MULTIPROC_DIR when a worker imports it: it must be set
    before the workers start. One given by the operator is used (emptied of an earlier run's
    values); otherwise a temporary directory lives as long as the server.
    """
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        yield Path(given)
        return
    if workers == 1:  # one process keeps its metrics in memory
        yield None
        return
    directory = tempfile.mkdtemp(prefix="wikigate-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    try:
        yield Path(directory)
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
        shutil.rmtree(directory, ignore_errors=True)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@json_option
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply pending migrations."""
    run(settings_of(ctx), _nothing)
    say({"up_to_date": True}, "database is up to date")


@main.command("bootstrap")
@json_option
@click.pass_context
def bootstrap(ctx: click.Context) -> None:
    """Migrate and create the Admin account (sysop, bureaucrat, interface-admin, as MediaWiki's installer
    makes it) if it does not exist yet.

    The password is WIKIGATE_ADMIN_PASSWORD, or a generated one printed once.
    """
    settings = settings_of(ctx)

    async def work(services: Services) -> None:
        if await services.accounts.find("Admin") is not None:
            say({"user": "Admin", "created": False}, "Admin account exists")
            return
        password = settings.admin_password or services.random.token_hex(16)
        try:
            await services.accounts.create("Admin", password, groups=["sysop", "bureaucrat", "interface-admin"])
        except AccountError as error:
            fail(f"cannot create Admin: {error.code}")
        shown: dict[str, object] = {"user": "Admin", "created": True}
        lines = ["created Admin (sysop, bureaucrat, interface-admin)"]
        if not settings.admin_password:
            shown["password"] = password
            lines.append(f"Admin password (shown once): {password}")
        say(shown, *lines)

    run(settings, work)
