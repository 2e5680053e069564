"""list=blocks: the blocks in force, newest first, filtered by id, target, address or kind."""

from __future__ import annotations

from typing import Any

from wikigate import titles
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param, var_list
from wikigate.services.blocks import (
    CIDR_LIMIT,
    NAMESPACE_RESTRICTION,
    PAGE_RESTRICTION,
    BlockFilter,
    BlockListing,
    BlockRecord,
)
from wikigate.timeutil import format_expiry, parse_timestamp, to_iso, to_mw

NAME = "blocks"
GROUP = "list"
PREFIX = "bk"
DESCRIPTION = "List all blocked users and IP addresses."
PROPS = ("id", "user", "userid", "by", "byid", "timestamp", "expiry", "reason", "range", "flags", "restrictions")
SHOW = ("account", "!account", "temp", "!temp", "ip", "!ip", "range", "!range")
PARAMS = (
    Param("start", "timestamp", help="The timestamp to start enumerating from."),
    Param("end", "timestamp", help="The timestamp to stop enumerating at."),
    Param("dir", ("newer", "older"), default="older", help="In which direction to enumerate."),
    Param("ids", "integer", multi=True, help="List of block IDs to list."),
    Param("users", "user", multi=True, user_ranges=True, help="List of users to search for."),
    Param("ip", "string",
          help="Get all blocks applying to this IP address or CIDR range, including range blocks. "
               "Cannot be used together with users."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="The maximum number of blocks to list."),
    Param("prop", PROPS, multi=True, default="id|user|by|timestamp|expiry|reason|flags",
          help="Which properties to get."),
    Param("show", SHOW, multi=True, help="Show only items that meet these criteria."),
    Param("continue", "string", help="When more results are available, use this to continue."),
)
EXAMPLES = (
    ("action=query&list=blocks", "List blocks."),
    ("action=query&list=blocks&bkusers=Alice|Bob", "List blocks of users Alice and Bob."),
)
_OPPOSITES = (("account", "!account"), ("ip", "!ip"), ("range", "!range"), ("temp", "!temp"))


def _within(ip: str) -> tuple[str, str]:
    """The first and last address of bkip, refused as MediaWiki refuses it."""
    address = ip.partition("/")[0]
    if not titles.is_ip(address):
        raise ApiError("badip", code="param_ip")
    found = titles.ip_range(ip)
    if found is not None:
        version, bits = found
        if bits < CIDR_LIMIT[version]:
            raise ApiError("cidrtoobroad", f"IPv{version}", CIDR_LIMIT[version])
    elif not titles.is_ip(ip):
        raise ApiError("badip", code="param_ip")
    return titles.range_hex(ip)


def _parse_continue(value: str) -> tuple[float, int]:
    moment, _, block_id = value.partition("|")
    try:
        return parse_timestamp(moment), int(block_id)
    except ValueError:
        raise ApiError("badcontinue") from None


def _item(block: BlockRecord, listing: BlockListing, props: set[str]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if "id" in props:
        item["id"] = block.id
    if "user" in props and not block.is_autoblock:
        item["user"] = block.target
    if "userid" in props and not block.is_autoblock:
        item["userid"] = block.user_id
    if "by" in props:
        item["by"] = block.by_text
    if "byid" in props:
        item["byid"] = block.by_id
    if "timestamp" in props:
        item["timestamp"] = to_iso(block.timestamp)
    if "expiry" in props:
        item["expiry"] = format_expiry(block.expiry)
    if "reason" in props:
        item["reason"] = block.reason
    if "range" in props and not block.is_autoblock:
        item["rangestart"], item["rangeend"] = titles.hex_ip(block.range_start), titles.hex_ip(block.range_end)
    if "flags" in props:
        item.update({"automatic": block.is_autoblock, "anononly": block.anon_only, "nocreate": block.create_account,
                     "autoblock": block.autoblock, "noemail": block.block_email, "hidden": block.hidden,
                     "allowusertalk": block.allow_usertalk, "partial": not block.sitewide})
    if "restrictions" in props:
        item["restrictions"] = _restrictions(block, listing)
    return item


def _restrictions(block: BlockRecord, listing: BlockListing) -> dict[str, Any] | list[Any]:
    pages = [(value, listing.pages[value]) for kind, value in block.restrictions
             if kind == PAGE_RESTRICTION and value in listing.pages]
    namespaces = [value for kind, value in block.restrictions if kind == NAMESPACE_RESTRICTION]
    shown: dict[str, Any] = {}
    if pages:
        shown["pages"] = [{"id": page_id, "ns": title.namespace, "title": title.prefixed_text}
                          for page_id, title in pages]
    if namespaces:
        shown["namespaces"] = namespaces
    return shown or []


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    if params["users"] and params["ip"] is not None:
        raise ApiError("invalidparammix", var_list(["users", "ip"], PREFIX), 2)
    show = frozenset(params["show"])
    if any(a in show and b in show for a, b in _OPPOSITES):
        raise ApiError("show")
    within = _within(params["ip"]) if params["ip"] is not None else None
    limit = params["limit"]
    after = _parse_continue(params["continue"]) if params["continue"] is not None else None
    listing = await ctx.services.blocks.listing(
        BlockFilter(ids=tuple(params["ids"]), targets=tuple(params["users"]), within=within, show=show), ctx.now,
        newer_first=params["dir"] == "older", start=params["start"], end=params["end"], after=after,
        limit=limit + 1, see_hidden=ctx.has_right("hideuser"))
    rows = listing.blocks
    if len(rows) > limit:
        following = rows[limit]
        query.set_continue(query.continue_key(PREFIX), f"{to_mw(following.timestamp)}|{following.id}")
        rows = rows[:limit]
    props = set(params["prop"])
    query.data["blocks"] = [_item(block, listing, props) for block in rows]
