"""CLI commands for bot passwords and two-factor enrolment.

MediaWiki enrols two-factor and creates bot passwords through special pages;
this server has none, so the administrator does it here:

    wikigate botpassword create USER APPID --grants basic,editpage [--restrictions 10.0.0.0/8]
    wikigate botpassword list USER
    wikigate botpassword delete USER APPID
    wikigate user 2fa enable NAME | disable NAME | recovery-codes NAME

Secrets (bot passwords, TOTP secrets, recovery codes) are printed once and
stored only as hashes, except the TOTP secret the server must keep to check codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from wikigate.cli.common import fail, json_option, main, run, say, say_rows, settings_of, user
from wikigate.services.accounts import AccountError
from wikigate.services.suite import Services


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@main.group("botpassword")
def botpassword() -> None:
    """Bot passwords (log in with action=login as USER@APPID)."""


@botpassword.command("create")
@click.argument("user_name", metavar="USER")
@click.argument("app_id", metavar="APPID")
@click.option("--grants", default="", help="Comma-separated grants, e.g. editpage,protect (basic is implied).")
@click.option("--restrictions", default="", help="Comma-separated IP ranges (CIDR) allowed to log in.")
@json_option
@click.pass_context
def botpassword_create(ctx: click.Context, user_name: str, app_id: str, grants: str, restrictions: str) -> None:
    """Create a bot password and print it once."""
    async def work(services: Services) -> None:
        try:
            bot, plain = await services.login.create_bot_password(user_name, app_id, grants=_split(grants),
                                                   restrictions=_split(restrictions))
        except AccountError as error:
            fail(f"cannot create bot password: {error.code} {' '.join(map(str, error.params))}".rstrip())
            return
        except ValueError as error:
            fail(f"bad IP range: {error}")
            return
        record = await services.accounts.by_id(bot.user_id)
        assert record is not None
        say({"user": record.name, "app": bot.app_id, "lgname": f"{record.name}@{bot.app_id}", "password": plain,
             "grants": list(bot.grants), "restrictions": list(bot.restrictions)},
            f"created bot password {record.name}@{bot.app_id} (grants: {', '.join(bot.grants) or 'basic'})",
            f"log in with lgname={record.name}@{bot.app_id} and this password (shown once): {plain}")

    run(settings_of(ctx), work)


@botpassword.command("list")
@click.argument("user_name", metavar="USER")
@json_option
@click.pass_context
def botpassword_list(ctx: click.Context, user_name: str) -> None:
    """List a user's bot passwords."""
    async def work(services: Services) -> None:
        try:
            bots = await services.login.list_bot_passwords(user_name)
        except AccountError as error:
            fail(f"{error.code}: {user_name}")
            return
        say_rows(({"app": bot.app_id, "grants": list(bot.grants), "restrictions": list(bot.restrictions),
                   "must_be_reset": not bot.password} for bot in bots), _bot_lines)

    run(settings_of(ctx), work)


def _bot_lines(rows: list[Mapping[str, Any]]) -> None:
    if not rows:
        click.echo("(no bot passwords)")
    for row in rows:
        state = " [must be reset]" if row["must_be_reset"] else ""
        click.echo(f"{row['app']}: grants {', '.join(row['grants']) or 'basic'}; "
                   f"from {', '.join(row['restrictions']) or 'anywhere'}{state}")


@botpassword.command("delete")
@click.argument("user_name", metavar="USER")
@click.argument("app_id", metavar="APPID")
@json_option
@click.pass_context
def botpassword_delete(ctx: click.Context, user_name: str, app_id: str) -> None:
    """Delete a bot password."""
    async def work(services: Services) -> None:
        try:
            deleted = await services.login.delete_bot_password(user_name, app_id)
        except AccountError as error:
            fail(f"{error.code}: {user_name}")
            return
        if not deleted:
            fail(f"no bot password {app_id!r} for {user_name}")
        say({"user": user_name, "app": app_id, "deleted": True}, f"deleted bot password {app_id}")

    run(settings_of(ctx), work)


@user.group("2fa")
def two_factor() -> None:
    """Two-factor authentication (TOTP, as OATHAuth)."""


@two_factor.command("enable")
@click.argument("name")
@json_option
@click.pass_context
def two_factor_enable(ctx: click.Context, name: str) -> None:
    """Enrol a user; prints the secret, an otpauth:// URI and recovery codes once."""
    async def work(services: Services) -> None:
        try:
            enrolment = await services.login.enable_two_factor(name)
        except AccountError as error:
            fail(f"{error.code}: {name}")
            return
        say({"user": name, "secret": enrolment.secret, "uri": enrolment.uri,
             "recovery_codes": enrolment.recovery_codes},
            f"secret: {enrolment.secret}", f"uri: {enrolment.uri}", "recovery codes (each works once):",
            *(f"  {code}" for code in enrolment.recovery_codes))

    run(settings_of(ctx), work)


@two_factor.command("disable")
@click.argument("name")
@json_option
@click.pass_context
def two_factor_disable(ctx: click.Context, name: str) -> None:
    """Switch two-factor off for a user."""
    async def work(services: Services) -> None:
        try:
            disabled = await services.login.disable_two_factor(name)
        except AccountError as error:
            fail(f"{error.code}: {name}")
            return
        if not disabled:
            fail(f"two-factor is not enabled for {name}")
        say({"user": name, "two_factor": False}, f"two-factor disabled for {name}")

    run(settings_of(ctx), work)


@two_factor.command("recovery-codes")
@click.argument("name")
@json_option
@click.pass_context
def two_factor_recovery_codes(ctx: click.Context, name: str) -> None:
    """Replace a user's recovery codes and print the new ones once."""
    async def work(services: Services) -> None:
        try:
            codes = await services.login.new_recovery_codes(name)
        except AccountError as error:
            fail(f"{error.code}: {name}")
            return
        say({"user": name, "recovery_codes": codes}, "recovery codes (each works once; the old ones no longer do):",
            *(f"  {code}" for code in codes))

    run(settings_of(ctx), work)
