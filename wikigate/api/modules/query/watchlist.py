"""list=watchlist: recent changes to the pages on the user's watchlist."""

from __future__ import annotations

from typing import Any

from wikigate.api.changelists import (
    TYPES,
    can_patrol,
    check_show,
    comments,
    either,
    emit,
    flags_sizes_time,
    heading,
    log_info,
    parse_continue,
    patrol_flags,
    watchlist_user_id,
)
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param, require_max_one_of
from wikigate.services.queries import ChangeFilter, ListedChange
from wikigate.timeutil import to_iso

NAME = "watchlist"
GROUP = "list"
PREFIX = "wl"
GENERATOR = True
DESCRIPTION = "Get recent changes to pages in the current user's watchlist."
PROPS = ("comment", "expiry", "flags", "ids", "loginfo", "notificationtimestamp", "parsedcomment", "patrol", "sizes",
         "tags", "timestamp", "title", "user", "userid")
SHOW = ("!anon", "!autopatrolled", "!bot", "!minor", "!patrolled", "!unread", "anon", "autopatrolled", "bot", "minor",
        "patrolled", "unread")
PARAMS = (
    Param("allrev", "boolean", help="Include multiple revisions of the same page within given timeframe."),
    Param("start", "timestamp", help="The timestamp to start enumerating from."),
    Param("end", "timestamp", help="The timestamp to end enumerating."),
    Param("namespace", "namespace", multi=True, help="Filter changes to only the given namespaces."),
    Param("user", "user", help="Only list changes by this user."),
    Param("excludeuser", "user", help="Don't list changes by this user."),
    Param("dir", ("newer", "older"), default="older", help="In which direction to enumerate."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="How many total results to return per request."),
    Param("prop", PROPS, multi=True, default="ids|title|flags", help="Which additional properties to get."),
    Param("show", SHOW, multi=True, help="Show only items that meet these criteria."),
    Param("type", tuple(sorted(TYPES)), multi=True, default="edit|new|log|categorize",
          help="Which types of changes to show."),
    Param("owner", "user", user_ips=False, help="Used along with token to access a different user's watchlist."),
    Param("token", "string", sensitive=True,
          help="A security token (available in the user's preferences) to allow access to another user's watchlist."),
    Param("continue", "string", help="When more results are available, use this to continue."),
)
EXAMPLES = (
    ("action=query&list=watchlist", "List the top revision for recently changed pages on the current user's watchlist."),
    ("action=query&list=watchlist&wlallrev=&wlprop=ids|title|timestamp|user|comment",
     "Fetch all recent changes to pages on the current user's watchlist."),
)
_CONFLICTS = (("minor", "!minor"), ("bot", "!bot"), ("anon", "!anon"), ("patrolled", "!patrolled"),
              ("autopatrolled", "!autopatrolled"), ("autopatrolled", "!patrolled"), ("unread", "!unread"))
_PATROL_SHOW = {"patrolled": {1, 2}, "!patrolled": {0}, "autopatrolled": {2}, "!autopatrolled": {0, 1}}


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    owner = watchlist_user_id(ctx, params["owner"], params["token"])
    props = set(params["prop"])
    if "patrol" in props and not query.generating and not can_patrol(ctx):
        raise ApiError("permissiondenied-patrolflag", code="patrol")
    after = parse_continue(params["continue"]) if params["continue"] is not None else None
    show = set(params["show"])
    patrolled = check_show(ctx, show, _CONFLICTS, _PATROL_SHOW,
                           guarded=frozenset({"patrolled", "!patrolled"}))
    require_max_one_of(params, "user", "excludeuser", prefix=PREFIX)
    found = ChangeFilter(
        namespaces=tuple(params["namespace"]), user=params["user"], exclude_user=params["excludeuser"],
        types=tuple(TYPES[t] for t in params["type"]), minor=either(show, "minor"), bot=either(show, "bot"),
        anonymous=either(show, "anon"), patrolled=patrolled, watched_by=owner, all_revisions=params["allrev"],
        unread=either(show, "unread"))
    limit = params["limit"]
    rows = await ctx.services.queries.recent_changes(
        found, now=ctx.now, newest_first=params["dir"] == "older", limit=limit + 1, start=params["start"],
        end=params["end"], after=after)
    emit(ctx, query, PREFIX, "watchlist", rows, limit, lambda row: _item(ctx, row, props))


def _item(ctx: ApiContext, row: ListedChange, props: set[str]) -> dict[str, Any]:
    change = row.change
    item = heading(ctx, row, props)
    if "ids" in props:
        item.update({"pageid": change.page_id, "revid": change.this_oldid, "old_revid": change.last_oldid})
    if props & {"user", "userid"}:
        if "userid" in props:
            item["userid"] = change.user_id
        if "user" in props:
            item["user"] = change.user_text
        item["anon"] = not change.user_id
    item.update(flags_sizes_time(row, props))
    if "notificationtimestamp" in props:
        item["notificationtimestamp"] = to_iso(row.notification) if row.notification is not None else ""
    item.update(comments(row, props))
    if "patrol" in props:
        item.update(patrol_flags(ctx, row))
    if "loginfo" in props and change.type == 3:
        item.update(log_info(row))
    if "tags" in props:
        item["tags"] = []
    if "expiry" in props:
        item["expiry"] = False
    return item
