"""What every `wikigate` command shares: the command group, settings, running services, failing."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, NoReturn, TypeVar

import click

from wikigate.app import StartupError, build_runtime
from wikigate.config import Settings, load_settings
from wikigate.services.suite import Services

T = TypeVar("T")
C = TypeVar("C", bound=Callable[..., Any])
_JSON = "wikigate.json"


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


def json_option(command: C) -> C:
    """`--json` on a command: what it reports through `say` or `say_rows` is printed as JSON."""

    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        ctx.meta[_JSON] = value

    option = click.option("--json", is_flag=True, expose_value=False, callback=remember,
                          help="Print JSON: one object, or one per line for a list.")
    return option(command)


def _wants_json() -> bool:
    return bool(click.get_current_context().meta.get(_JSON))


def say(data: Mapping[str, Any], *lines: str) -> None:
    """A command's result: `data` as one JSON object under --json, the lines of text otherwise."""
    if _wants_json():
        click.echo(json.dumps(data))
        return
    for line in lines:
        click.echo(line)


def say_rows(rows: Iterable[Mapping[str, Any]], as_text: Callable[[list[Mapping[str, Any]]], None]) -> None:
    """A listing: one JSON object per row under --json, else `as_text(rows)`."""
    rows = list(rows)
    if _wants_json():
        for row in rows:
            click.echo(json.dumps(row))
        return
    as_text(rows)


def fail(message: str) -> NoReturn:
    click.echo(f"wikigate: {message}", err=True)
    sys.exit(1)
