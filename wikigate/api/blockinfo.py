"""A block as the API describes it (MediaWiki's ApiBlockInfoTrait), and the error that names it."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.messages import Message, render
from wikigate.messages.dates import time_and_date
from wikigate.services.blocking import ActiveBlock
from wikigate.timeutil import format_expiry, to_iso

# The API's message and code for each kind of block message.
_ERRORS = {
    "blockedtext": ("apierror-blocked", "blocked"),
    "blockedtext-partial": ("apierror-blocked-partial", "blocked"),
    "blockedtext-composite": ("apierror-blocked", "blocked"),
    "autoblockedtext": ("apierror-autoblocked", "autoblocked"),
}


def block_details(block: ActiveBlock, lang: str) -> dict[str, Any]:
    """blockid … blockedtimestampformatted, and when it ends, formatted twice as MediaWiki does."""
    name, user_id = block.blocker
    single = block.single
    reason = single.reason if single else render(Message("blockedtext-composite-reason"), "plaintext", lang)
    details: dict[str, Any] = {
        "blockid": block.id, "blockedby": name, "blockedbyid": user_id, "blockreason": reason,
        "blockedtimestamp": to_iso(block.timestamp), "blockexpiry": format_expiry(block.expiry, infinity="infinite"),
        "blockpartial": not block.sitewide, "blocknocreate": block.create_account,
        "blockanononly": not block.hardblock,
        "blockedtimestampformatted": time_and_date(block.timestamp, lang),
    }
    if block.expiry is not None:
        # An active block ends in the future, which MediaWiki's "relative" form writes out in full too.
        details["blockexpiryformatted"] = details["blockexpiryrelative"] = time_and_date(block.expiry, lang)
    return details


def blocked_error(block: ActiveBlock, lang: str) -> ApiMessage:
    key, code = _ERRORS[block.message_key()]
    return ApiMessage.of(key, code=code, data={"blockinfo": block_details(block, lang)})


def block_message(block: ActiveBlock, lang: str) -> Message:
    """The long explanation of a block (blockedtext and its kin), with MediaWiki's eight parameters."""
    name, user_id = block.blocker
    single = block.single
    reason = single.reason if single else render(Message("blockedtext-composite-reason"), "plaintext", lang)
    expiry = (render(Message("infiniteblock"), "plaintext", lang) if block.expiry is None
              else time_and_date(block.expiry, lang))
    blocker = f"[[User:{name}|{name}]]" if user_id else name
    return Message(block.message_key(), (
        blocker, reason or render(Message("blockednoreason"), "plaintext", lang), block.ip, name,
        block.id or "", expiry, single.target if single else block.ip, time_and_date(block.timestamp, lang)))


async def refuse_if_blocked_sitewide(ctx: ApiContext) -> None:
    """MediaWiki's dieBlocked, for the modules that refuse a sitewide block before anything else."""
    block = await ctx.services.blocks.active(ctx.user, ctx.now)
    if block is not None and block.sitewide:
        raise ApiError(blocked_error(block, ctx.uselang))
