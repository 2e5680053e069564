"""Account administration: create accounts, set passwords, change groups, list."""

from __future__ import annotations

import json
import sys

import click

from wikigate.cli.common import fail, run, settings_of, user
from wikigate.config import IMPLICIT_GROUPS
from wikigate.services.accounts import AccountError
from wikigate.services.suite import Services
from wikigate.services.users import UserRecord


def _password_from(stdin: bool) -> str | None:
    """The password from standard input, or None: one is generated (and printed once)."""
    if stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            fail("no password on standard input")
        return password
    return None


def _show_generated(password: str, given: str | None) -> None:
    """A generated password is shown once; one read from standard input never is."""
    if given is None:
        click.echo(f"password: {password}")


@user.command("create")
@click.argument("name")
@click.option("--groups", default="", help="Comma-separated groups, e.g. sysop,bureaucrat.")
@click.option("--email", default="", help="E-mail address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--if-missing", is_flag=True, help="Succeed quietly when the user exists already.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (with a generated password).")
@click.pass_context
def user_create(ctx: click.Context, name: str, groups: str, email: str, password_stdin: bool,
                if_missing: bool, as_json: bool) -> None:
    """Create an account; prints a generated password unless one is given."""
    given = _password_from(password_stdin)
    group_list = _groups(groups)

    async def work(services: Services) -> None:
        password = given or services.random.token_hex(16)
        try:
            record = await services.accounts.create(name, password, email=email, groups=group_list)
        except AccountError as error:
            if error.code == "userexists" and if_missing:
                return
            fail(f"cannot create {name!r}: {error.code}")
        if as_json:
            shown: dict[str, object] = {"name": record.name, "id": record.id, "groups": group_list}
            if given is None:
                shown["password"] = password
            click.echo(json.dumps(shown))
            return
        click.echo(f"created user {record.name} (id {record.id})")
        _show_generated(password, given)

    run(settings_of(ctx), work)


@user.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_set_password(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a user's password; prints a generated one unless one is given.

    As every password change, it voids the user's bot passwords and ends their sessions.
    """
    given = _password_from(password_stdin)

    async def work(services: Services) -> None:
        record = await _existing(services, name)
        password = given or services.random.token_hex(16)
        await services.accounts.change_password(record, password)
        click.echo(f"password set for {record.name}")
        _show_generated(password, given)

    run(settings_of(ctx), work)


@user.command("groups")
@click.argument("name")
@click.option("--add", default="", help="Comma-separated groups to add.")
@click.option("--remove", default="", help="Comma-separated groups to remove.")
@click.pass_context
def user_groups(ctx: click.Context, name: str, add: str, remove: str) -> None:
    """Show, add or remove a user's groups (logged as the maintenance script, as in MediaWiki)."""

    async def work(services: Services) -> None:
        record = await _existing(services, name)
        if add or remove:
            everything = set(services.settings.group_permissions)
            await services.accounts.change_groups(
                record, None, add=dict.fromkeys(_groups(add)), remove=_groups(remove), addable=everything,
                removable=everything, now=services.clock.now())
        memberships = await services.accounts.memberships(record.id)
        click.echo(f"{record.name}: " + (", ".join(sorted(m.group for m in memberships)) or "(no groups)"))

    run(settings_of(ctx), work)


@user.command("list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List accounts with their groups."""
    from rich.console import Console
    from rich.table import Table

    async def work(services: Services) -> None:
        table = Table("id", "name", "groups", "email")
        for record in await services.accounts.listing(limit=10000):
            memberships = await services.accounts.memberships(record.id)
            table.add_row(str(record.id), record.name, ", ".join(sorted(m.group for m in memberships)), record.email)
        Console().print(table)

    run(settings_of(ctx), work)


async def _existing(services: Services, name: str) -> UserRecord:
    record = await services.accounts.find(name)
    if record is None:
        fail(f"no such user: {name}")
    return record


def _groups(text: str) -> list[str]:
    groups = [g.strip() for g in text.split(",") if g.strip()]
    for group in groups:
        if group in IMPLICIT_GROUPS:
            fail(f"{group!r} is an implicit group and cannot be assigned")
    return groups
