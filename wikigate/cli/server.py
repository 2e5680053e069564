"""Serving, schema upgrades and the first Admin account."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from wikigate.cli.common import fail, main, run, settings_of
from wikigate.logsetup import configure_logging
from wikigate.services.accounts import AccountError
from wikigate.services.suite import Services


async def _nothing(services: Services) -> None:
    """Building the services migrates the database; nothing else is needed."""
    await asyncio.sleep(0)


@main.command()
@click.option("--host", default=None, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on.")
@click.option("--workers", type=int, default=None, help="Worker processes.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the API (runs pending migrations first)."""
    # Imported here: the other commands have no use for the server's libraries.
    import uvicorn

    from wikigate.server import run_one, run_workers

    settings = settings_of(ctx)
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    configure_logging(settings.log_format, settings.log_level)
    run(settings, _nothing)  # migrate once, before the workers start
    click.echo(f"wikigate serving {settings.api_url.replace(f':{settings.port}', f':{port}')} "
               f"with {workers} worker(s)")
    config = uvicorn.Config(
        "wikigate.asgi:app", host=host, port=port, workers=workers, log_config=None, log_level=settings.log_level,
        access_log=False, proxy_headers=False, server_header=False, lifespan="on",
        http="wikigate.server:BoundedHttpProtocol", timeout_keep_alive=int(settings.keep_alive_timeout),
        limit_concurrency=settings.max_connections, timeout_graceful_shutdown=int(settings.shutdown_timeout))
    with _metrics_directory(workers) as metrics_dir:
        if workers == 1:
            status = run_one(config)
        else:
            status = run_workers(config, workers, log_format=settings.log_format, log_level=settings.log_level,
                                 metrics_dir=metrics_dir)
    sys.exit(status)


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
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply pending migrations."""
    run(settings_of(ctx), _nothing)
    click.echo("database is up to date")


@main.command("bootstrap")
@click.pass_context
def bootstrap(ctx: click.Context) -> None:
    """Migrate and create the Admin account (sysop, bureaucrat, interface-admin, as MediaWiki's installer
    makes it) if it does not exist yet.

    The password is WIKIGATE_ADMIN_PASSWORD, or a generated one printed once.
    """
    settings = settings_of(ctx)

    async def work(services: Services) -> None:
        if await services.accounts.find("Admin") is not None:
            click.echo("Admin account exists")
            return
        password = settings.admin_password or services.random.token_hex(16)
        try:
            await services.accounts.create("Admin", password, groups=["sysop", "bureaucrat", "interface-admin"])
        except AccountError as error:
            fail(f"cannot create Admin: {error.code}")
        click.echo("created Admin (sysop, bureaucrat, interface-admin)")
        if not settings.admin_password:
            click.echo(f"Admin password (shown once): {password}")

    run(settings, work)
