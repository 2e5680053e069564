"""What the change and watchlist lists share: show filters, continuation, log details, whose watchlist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.logparams import api_log_params
from wikigate.api.pagerefusals import api_error
from wikigate.services.pages import PageError
from wikigate.services.permissions import missing_right_error
from wikigate.services.queries import ListedChange
from wikigate.timeutil import parse_timestamp, to_iso, to_mw

# rc_type values by the names the API uses.
TYPES = {"edit": 0, "new": 1, "log": 3, "categorize": 6, "external": 5}
TYPE_NAMES = {number: name for name, number in TYPES.items()}


def can_patrol(ctx: ApiContext) -> bool:
    """MediaWiki's useRCPatrol: the patrol flags are for those who may patrol or see patrol marks."""
    return ctx.has_right("patrol") or ctx.has_right("patrolmarks")


def either(show: set[str], name: str) -> bool | None:
    """A show pair (`minor`, `!minor`) as a filter: True, False, or None when neither is given."""
    return True if name in show else False if f"!{name}" in show else None


def check_show(ctx: ApiContext, show: set[str], conflicts: tuple[tuple[str, str], ...],
               patrol_filters: dict[str, set[int]], guarded: frozenset[str] | None = None) -> tuple[int, ...]:
    """Refuse conflicting or unpermitted show values; the patrol statuses the rest let through (() for all).

    `guarded` are the filters that need a patroller (all patrol filters unless given).
    """
    if any(a in show and b in show for a, b in conflicts):
        raise ApiError("show")
    asked = show & set(patrol_filters)
    if show & (set(patrol_filters) if guarded is None else guarded) and not can_patrol(ctx):
        raise ApiError("permissiondenied-patrolflag", code="permissiondenied")
    allowed = {0, 1, 2}
    for name in asked:
        allowed &= patrol_filters[name]
    return tuple(sorted(allowed)) if allowed != {0, 1, 2} else ()


def parse_continue(value: str) -> tuple[float, int]:
    """`timestamp|id`, as both lists continue."""
    stamp, separator, change_id = value.partition("|")
    try:
        if not separator or str(int(change_id)) != change_id:
            raise ValueError(value)
        return parse_timestamp(stamp), int(change_id)
    except ValueError:
        raise ApiError("badcontinue") from None


def emit(ctx: ApiContext, query: Any, prefix: str, name: str, rows: list[ListedChange], limit: int,
         item: Callable[[ListedChange], dict[str, Any]]) -> None:
    """Write a page of the list (or, as a generator, its titles), with where the next page starts."""
    if len(rows) > limit:
        following = rows[limit].change
        query.set_continue(query.continue_key(prefix), f"{to_mw(following.timestamp)}|{following.id}")
        rows = rows[:limit]
    if query.generating:
        query.generated.extend(ctx.services.namespaces.title(r.change.namespace, r.change.title) for r in rows)
        return
    query.data[name] = [item(row) for row in rows]


def heading(ctx: ApiContext, row: ListedChange, props: set[str]) -> dict[str, Any]:
    """An item's type, then its title when asked for."""
    change = row.change
    item: dict[str, Any] = {"type": TYPE_NAMES.get(change.type, "external")}
    if "title" in props:
        title = ctx.services.namespaces.title(change.namespace, change.title)
        item.update({"ns": change.namespace, "title": title.prefixed_text})
    return item


def flags_sizes_time(row: ListedChange, props: set[str]) -> dict[str, Any]:
    """The flags, sizes and time of an item, when asked for, in the order both lists write them."""
    change = row.change
    found: dict[str, Any] = {}
    if "flags" in props:
        found.update({"bot": change.bot, "new": change.type == 1, "minor": change.minor})
    if "sizes" in props:
        found.update({"oldlen": change.old_len or 0, "newlen": change.new_len or 0})
    if "timestamp" in props:
        found["timestamp"] = to_iso(change.timestamp)
    return found


def comments(row: ListedChange, props: set[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if "comment" in props:
        found["comment"] = row.change.comment
    if "parsedcomment" in props:
        found["parsedcomment"] = row.change.comment
    return found


def patrol_flags(ctx: ApiContext, row: ListedChange) -> dict[str, bool]:
    change = row.change
    return {"patrolled": change.patrolled != 0,
            "unpatrolled": change.patrolled == 0 and change.type in (0, 1) and can_patrol(ctx),
            "autopatrolled": change.patrolled == 2}


def log_info(row: ListedChange) -> dict[str, Any]:
    change = row.change
    return {"logid": change.log_id, "logtype": change.log_type, "logaction": change.log_action,
            "logparams": api_log_params(change.log_type or "", row.log_params or {})}


def watchlist_user_id(ctx: ApiContext, owner: str | None, token: str | None) -> int:
    """Whose watchlist: another user's needs their watchlist token, which no one here has set."""
    if owner is not None and token is not None:
        # No account here has a watchlist token (the preference is empty by default), so none matches.
        raise ApiError("bad-watchlist-token", code="bad_wltoken")
    if ctx.user.is_anon:
        raise ApiError("watchlistanontext", code="notloggedin")
    if not ctx.has_right("viewmywatchlist"):
        raise api_error(PageError([missing_right_error("viewmywatchlist", ctx.settings)]), ctx.uselang)
    return ctx.user.id
