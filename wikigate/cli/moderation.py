"""Blocks and account locks from the command line (logged as the maintenance script)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from wikigate.cli.common import fail, json_option, main, run, say, say_rows, settings_of, user
from wikigate.services.accountstatus import HIDDEN_LEVELS
from wikigate.services.blocks import BlockFilter, BlockRecord, BlockRequest, maintenance_performer
from wikigate.services.pages import PageError
from wikigate.services.suite import Services
from wikigate.timeutil import format_expiry, to_iso


def _refusal(error: PageError) -> str:
    denial = error.denials[0]
    return denial.key + (f" ({', '.join(str(p) for p in denial.params)})" if denial.params else "")


@main.command("block")
@click.argument("target")
@click.option("--expiry", default="infinite", help="When the block ends: 'infinite', '3 days', an ISO time...")
@click.option("--reason", default="", help="Reason for the block log.")
@click.option("--anononly", is_flag=True, help="Leave logged-in users of the address or range alone.")
@click.option("--nocreate", is_flag=True, help="Prevent account creation.")
@click.option("--autoblock", is_flag=True, help="Also block the addresses the user edits from.")
@click.option("--noemail", is_flag=True, help="Prevent sending email through the wiki.")
@click.option("--allow-usertalk", is_flag=True, help="Let the user edit their own talk page.")
@click.option("--hide-name", is_flag=True, help="Hide the user name (infinite sitewide blocks only).")
@click.option("--partial", is_flag=True, help="Block from the --page and --namespace given only.")
@click.option("--page", "pages", multiple=True, help="With --partial: a page the block covers (repeatable).")
@click.option("--namespace", "namespaces", multiple=True, type=int,
              help="With --partial: a namespace number the block covers (repeatable).")
@click.option("--reblock", is_flag=True, help="Replace the target's current block.")
@json_option
@click.pass_context
def block(ctx: click.Context, target: str, expiry: str, reason: str, anononly: bool, nocreate: bool,
          autoblock: bool, noemail: bool, allow_usertalk: bool, hide_name: bool, partial: bool,
          pages: tuple[str, ...], namespaces: tuple[int, ...], reblock: bool) -> None:
    """Block an account, an IP address or a CIDR range."""
    if (pages or namespaces) and not partial:
        fail("--page and --namespace need --partial")
    request = BlockRequest(target=target, expiry=expiry, reason=reason, anon_only=anononly, no_create=nocreate,
                           autoblock=autoblock, no_email=noemail, hide_name=hide_name,
                           allow_usertalk=allow_usertalk, partial=partial, pages=pages, namespaces=namespaces,
                           reblock=reblock)

    async def work(services: Services) -> None:
        try:
            placed = await services.blocks.place(maintenance_performer(services.settings), request,
                                                 services.clock.now())
        except PageError as error:
            fail(f"cannot block {target!r}: {_refusal(error)}")
        block = placed.block
        say({"id": block.id, "target": block.target, "expiry": format_expiry(block.expiry)},
            f"blocked {block.target} (block #{block.id}, expires {format_expiry(block.expiry)})")

    run(settings_of(ctx), work)


@main.command("unblock")
@click.argument("target", required=False)
@click.option("--id", "block_id", type=int, default=None, help="The block's id instead of its target.")
@click.option("--reason", default="", help="Reason for the block log.")
@json_option
@click.pass_context
def unblock(ctx: click.Context, target: str | None, block_id: int | None, reason: str) -> None:
    """Lift the block of an account, address or range (or the block with --id)."""
    if (target is None) == (block_id is None):
        fail("give either a target or --id")

    async def work(services: Services) -> None:
        try:
            lifted = await services.blocks.lift(maintenance_performer(services.settings), target=target,
                                                block_id=block_id, reason=reason, now=services.clock.now())
        except PageError as error:
            fail(f"cannot unblock {target or f'#{block_id}'}: {_refusal(error)}")
        say({"id": lifted.id, "target": lifted.target, "unblocked": True},
            f"unblocked {lifted.target} (block #{lifted.id})")

    run(settings_of(ctx), work)


@main.group("blocks")
def blocks() -> None:
    """The blocks in force."""


def _listed(block: BlockRecord) -> dict[str, object]:
    return {"id": block.id, "target": "" if block.is_autoblock else block.target, "automatic": block.is_autoblock,
            "by": block.by_text, "timestamp": to_iso(block.timestamp), "expiry": format_expiry(block.expiry),
            "reason": block.reason, "sitewide": block.sitewide, "nocreate": block.create_account,
            "anononly": block.anon_only, "autoblock": block.autoblock, "noemail": block.block_email,
            "allowusertalk": block.allow_usertalk, "hidden": block.hidden}


@blocks.command("list")
@json_option
@click.pass_context
def blocks_list(ctx: click.Context) -> None:
    """List the blocks in force, newest first (autoblocks show their id, not their address)."""

    async def work(services: Services) -> None:
        listing = await services.blocks.listing(BlockFilter(), services.clock.now(), newer_first=True, start=None,
                                                end=None, after=None, limit=100_000, see_hidden=True)
        say_rows((_listed(block) for block in listing.blocks), _block_table)

    run(settings_of(ctx), work)


def _block_table(rows: list[Mapping[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "target", "by", "expiry", "scope", "reason")
    for row in rows:
        table.add_row(str(row["id"]), str(row["target"]) or f"autoblock #{row['id']}", str(row["by"]),
                      str(row["expiry"]), "sitewide" if row["sitewide"] else "partial", str(row["reason"]))
    Console().print(table)


def _set_status(ctx: click.Context, name: str, reason: str, *, locked: bool | None = None,
                hidden: int | None = None) -> None:
    async def work(services: Services) -> None:
        try:
            status = await services.account_statuses.set_status(
                maintenance_performer(services.settings), name, locked=locked, hidden=hidden, reason=reason,
                statecheck=None, now=services.clock.now())
        except PageError as error:
            fail(f"cannot change {name!r}: {_refusal(error)}")
        say({"name": status.name, "locked": status.locked, "hidden": status.hidden or None},
            f"{status.name}: {'locked' if status.locked else 'not locked'}, "
            f"{'hidden (' + status.hidden + ')' if status.hidden else 'not hidden'}")

    run(settings_of(ctx), work)


def _lock_command(command: str, locked: bool, description: str) -> None:
    @user.command(command, help=description)
    @click.argument("name")
    @click.option("--reason", default="", help="Reason for the log.")
    @json_option
    @click.pass_context
    def change(ctx: click.Context, name: str, reason: str) -> None:
        _set_status(ctx, name, reason, locked=locked)


_lock_command("lock", True, "Lock an account: it is logged out everywhere and cannot log in (CentralAuth's lock).")
_lock_command("unlock", False, "Unlock an account.")


@user.command("hide")
@click.argument("name")
@click.option("--level", type=click.Choice(HIDDEN_LEVELS[1:] + ("none",)), default="lists",
              help="lists: out of the user lists; suppressed: also out of the logs; none: shown again.")
@click.option("--reason", default="", help="Reason for the log.")
@json_option
@click.pass_context
def user_hide(ctx: click.Context, name: str, level: str, reason: str) -> None:
    """Hide an account's name from those without centralauth-suppress (or show it again)."""
    _set_status(ctx, name, reason, hidden=0 if level == "none" else HIDDEN_LEVELS.index(level))


@user.command("delete")
@click.argument("name")
@click.option("--reason", default="", help="Reason for the log.")
@json_option
@click.pass_context
def user_delete(ctx: click.Context, name: str, reason: str) -> None:
    """Delete an account and its credentials; the page history keeps the name."""

    async def work(services: Services) -> None:
        try:
            deleted = await services.account_statuses.delete(maintenance_performer(services.settings), name,
                                                             reason=reason, now=services.clock.now())
        except PageError as error:
            fail(f"cannot delete {name!r}: {_refusal(error)}")
        say({"deleted": deleted}, f"deleted {deleted}")

    run(settings_of(ctx), work)
