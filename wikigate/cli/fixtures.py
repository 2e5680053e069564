"""`wikigate seed FILE`: what a fixtures file lists (see wikigate.fixtures), made on the wiki."""

from __future__ import annotations

import json
from pathlib import Path

import click

from wikigate.cli.common import fail, main, run, settings_of
from wikigate.fixtures import FixtureError, read_fixtures, seed
from wikigate.services.suite import Services


@main.command("seed")
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_context
def seed_command(ctx: click.Context, path: Path) -> None:
    """Create what a fixtures file lists (users, bot passwords, two-factor, pages, OAuth) and print,
    as one JSON object, what clients need, generated passwords and secrets included."""

    async def work(services: Services) -> None:
        try:
            made = await seed(services, read_fixtures(path))
        except FixtureError as error:
            fail(f"fixtures: {error}")
        click.echo(json.dumps(made))

    run(settings_of(ctx), work)
