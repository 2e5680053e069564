"""What every `wikigate` command shares: the command group, settings, running services, failing."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import click

from wikigate.app import StartupError, build_runtime
from wikigate.config import Settings, load_settings
from wikigate.services.suite import Services

T = TypeVar("T")


@click.group()
@click.option("--config", "config_path", default=None, help="Path to wikigate.toml.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """wikigate: the MediaWiki Action API for accounts, sessions, passwords and protection."""
    if config_path is not None:
        # The server's worker processes read their settings again: they must read this file too.
        os.environ["WIKIGATE_CONFIG"] = config_path
    try:
        ctx.obj = load_settings(config_path)
    except (ValueError, OSError) as error:
        fail(f"configuration: {error}")


@main.group()
def user() -> None:
    """User accounts."""


def settings_of(ctx: click.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def run(settings: Settings, work: Callable[[Services], Awaitable[T]]) -> T:
    """Build the services (migrating the database), run `work` with them, and close them."""

    async def main() -> T:
        runtime = await build_runtime(settings)
        try:
            return await work(runtime.services)
        finally:
            await runtime.close()

    try:
        return asyncio.run(main())
    except StartupError as error:
        fail(str(error))


def fail(message: str) -> NoReturn:
    click.echo(f"wikigate: {message}", err=True)
    sys.exit(1)
