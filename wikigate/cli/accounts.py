"""Account administration: create accounts, set passwords, change groups, list."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import click

from wikigate.cli.common import fail, json_option, run, say, say_rows, settings_of, user
from wikigate.config import IMPLICIT_GROUPS
from wikigate.services.accounts import AccountError
from wikigate.services.suite import Services
from wikigate.services.users import UserRecord
from wikigate.timeutil import format_expiry


def _password_from(stdin: bool) -> str | None:
    """The password from standard input, or None: one is generated (and printed once)."""
    if stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            fail("no password on standard input")
        return password
    return None


def _with_generated(shown: dict[str, object], password: str, given: str | None) -> tuple[dict[str, object], list[str]]:
    """A generated password is shown once; one read from standard input never is."""
    if given is not None:
        return shown, []
    return {**shown, "password": password}, [f"password: {password}"]


@user.command("create")
@click.argument("name")
@click.option("--groups", default="", help="Comma-separated groups, e.g. sysop,bureaucrat.")
@click.option("--email", default="", help="E-mail address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--if-missing", is_flag=True, help="Succeed quietly when the user exists already.")
@json_option
@click.pass_context
def user_create(ctx: click.Context, name: str, groups: str, email: str, password_stdin: bool,
                if_missing: bool) -> None:
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
        shown, lines = _with_generated({"name": record.name, "id": record.id, "groups": group_list}, password, given)
        say(shown, f"created user {record.name} (id {record.id})", *lines)

    run(settings_of(ctx), work)


@user.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@json_option
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
        shown, lines = _with_generated({"name": record.name}, password, given)
        say(shown, f"password set for {record.name}", *lines)

    run(settings_of(ctx), work)


@user.command("groups")
@click.argument("name")
@click.option("--add", default="", help="Comma-separated groups to add.")
@click.option("--remove", default="", help="Comma-separated groups to remove.")
@json_option
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
        memberships = sorted(await services.accounts.memberships(record.id), key=lambda m: m.group)
        say({"name": record.name, "groups": [{"group": m.group, "expiry": format_expiry(m.expiry)}
                                             for m in memberships]},
            f"{record.name}: " + (", ".join(m.group for m in memberships) or "(no groups)"))

    run(settings_of(ctx), work)


@user.command("list")
@json_option
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List accounts with their groups."""

    def table(rows: list[Mapping[str, Any]]) -> None:
        from rich.console import Console
        from rich.table import Table

        shown = Table("id", "name", "groups", "email")
        for row in rows:
            shown.add_row(str(row["id"]), row["name"], ", ".join(row["groups"]), row["email"])
        Console().print(shown)

    async def work(services: Services) -> None:
        rows = []
        for record in await services.accounts.listing(limit=10000):
            memberships = await services.accounts.memberships(record.id)
            rows.append({"id": record.id, "name": record.name, "groups": sorted(m.group for m in memberships),
                         "email": record.email})
        say_rows(rows, table)

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
