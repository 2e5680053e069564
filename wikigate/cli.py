"""The `wikigate` command: serve, database upgrades and account administration.

A second thin client of the services, beside the API. Every failure is one
clear line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from wikigate.config import IMPLICIT_GROUPS, Settings, load_settings

T = TypeVar("T")


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]  # type: ignore[no-any-return]


def _run(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    from wikigate.app import build_services

    async def main() -> T:
        services = await build_services(settings)
        try:
            return await work(services)
        finally:
            await services.close()

    return asyncio.run(main())


def _fail(message: str) -> None:
    click.echo(f"wikigate: {message}", err=True)
    sys.exit(1)


@click.group()
@click.option("--config", "config_path", default=None, help="Path to wikigate.toml.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """wikigate: the MediaWiki Action API for accounts, sessions, passwords and protection."""
    try:
        ctx.obj = {"settings": load_settings(config_path)}
    except (ValueError, OSError) as error:
        _fail(f"configuration: {error}")


@main.command()
@click.option("--host", default=None, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on.")
@click.option("--workers", type=int, default=None, help="Worker processes.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the API (runs pending migrations first)."""
    import uvicorn

    settings = _settings(ctx)
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    _run(settings, lambda services: asyncio.sleep(0))  # migrate once before the workers start
    click.echo(f"wikigate serving {settings.api_url.replace(f':{settings.port}', f':{port}')} "
               f"with {workers} worker(s)")
    uvicorn.run("wikigate.asgi:app", host=host, port=port, workers=workers, log_level="warning",
                access_log=False, proxy_headers=False, server_header=False, lifespan="on")


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply pending migrations."""
    _run(_settings(ctx), lambda services: asyncio.sleep(0))
    click.echo("database is up to date")


@main.group()
def user() -> None:
    """User accounts."""


def _password_from(stdin: bool, generate: bool = False) -> str | None:
    if stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            _fail("no password on standard input")
        return password
    return secrets.token_urlsafe(18) if generate else None


@user.command("create")
@click.argument("name")
@click.option("--groups", default="", help="Comma-separated groups, e.g. sysop,bureaucrat.")
@click.option("--email", default="", help="E-mail address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--if-missing", is_flag=True, help="Succeed quietly when the user exists already.")
@click.pass_context
def user_create(ctx: click.Context, name: str, groups: str, email: str, password_stdin: bool,
                if_missing: bool) -> None:
    """Create an account; prints a generated password unless one is given."""
    from wikigate.services.accounts import AccountError, create_account

    password = _password_from(password_stdin, generate=True)
    group_list = _groups(groups)

    async def work(services: Any) -> None:
        try:
            record = await create_account(services, name, password, email=email, groups=group_list)
        except AccountError as error:
            if error.code == "userexists" and if_missing:
                return
            _fail(f"cannot create {name!r}: {error.code}")
            return
        click.echo(f"created user {record.name} (id {record.id})")
        if not password_stdin:
            click.echo(f"password: {password}")

    _run(_settings(ctx), work)


@user.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_set_password(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a user's password; prints a generated one unless one is given."""
    from wikigate.services.accounts import set_password

    password = _password_from(password_stdin, generate=True)
    assert password is not None

    async def work(services: Any) -> None:
        record = await _existing(services, name)
        await set_password(services, record, password)
        click.echo(f"password set for {record.name}")
        if not password_stdin:
            click.echo(f"password: {password}")

    _run(_settings(ctx), work)


@user.command("groups")
@click.argument("name")
@click.option("--add", default="", help="Comma-separated groups to add.")
@click.option("--remove", default="", help="Comma-separated groups to remove.")
@click.pass_context
def user_groups(ctx: click.Context, name: str, add: str, remove: str) -> None:
    """Show, add or remove a user's groups."""
    from wikigate.services.accounts import set_groups

    async def work(services: Any) -> None:
        record = await _existing(services, name)
        if add or remove:
            await set_groups(services, record, add=_groups(add), remove=_groups(remove))
        memberships = await services.users.groups(record.id)
        click.echo(f"{record.name}: " + (", ".join(sorted(m.group for m in memberships)) or "(no groups)"))

    _run(_settings(ctx), work)


@user.command("list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List accounts with their groups."""
    from rich.console import Console
    from rich.table import Table

    async def work(services: Any) -> None:
        table = Table("id", "name", "groups", "email")
        for record in await services.users.list(limit=10000):
            memberships = await services.users.groups(record.id)
            table.add_row(str(record.id), record.name, ", ".join(sorted(m.group for m in memberships)), record.email)
        Console().print(table)

    _run(_settings(ctx), work)


async def _existing(services: Any, name: str) -> Any:
    from wikigate import usernames

    canonical = usernames.canonical_name(name, services.namespaces, rigor="valid")
    record = await services.users.by_name(canonical) if canonical else None
    if record is None:
        _fail(f"no such user: {name}")
    return record


def _groups(text: str) -> list[str]:
    groups = [g.strip() for g in text.split(",") if g.strip()]
    for group in groups:
        if group in IMPLICIT_GROUPS:
            _fail(f"{group!r} is an implicit group and cannot be assigned")
    return groups


@main.command("bootstrap")
@click.pass_context
def bootstrap(ctx: click.Context) -> None:
    """Migrate and create the Admin account (sysop, bureaucrat) if it does not exist yet.

    The password is WIKIGATE_ADMIN_PASSWORD, or a generated one printed once.
    """
    from wikigate.services.accounts import AccountError, create_account

    settings = _settings(ctx)

    async def work(services: Any) -> None:
        if await services.users.by_name("Admin") is not None:
            click.echo("Admin account exists")
            return
        password = settings.admin_password or secrets.token_urlsafe(18)
        try:
            await create_account(services, "Admin", password, groups=["sysop", "bureaucrat"])
        except AccountError as error:
            _fail(f"cannot create Admin: {error.code}")
        click.echo("created Admin (sysop, bureaucrat)")
        if not settings.admin_password:
            click.echo(f"Admin password (shown once): {password}")

    _run(settings, work)


from wikigate import cli_auth  # noqa: E402,F401  (attaches `botpassword` and `user 2fa`)

if __name__ == "__main__":
    main()
