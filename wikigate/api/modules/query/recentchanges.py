"""list=recentchanges: recent edits and logged actions, newest first, with MediaWiki's filters."""

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
)
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param, require_max_one_of
from wikigate.services.queries import ChangeFilter, ListedChange
from wikigate.titles import InvalidTitle, parse_title

NAME = "recentchanges"
GROUP = "list"
PREFIX = "rc"
GENERATOR = True
DESCRIPTION = "Enumerate recent changes."
PROPS = ("comment", "flags", "ids", "loginfo", "parsedcomment", "patrolled", "redirect", "sha1", "sizes", "tags",
         "timestamp", "title", "user", "userid")
SHOW = ("!anon", "!autopatrolled", "!bot", "!minor", "!patrolled", "!redirect", "anon", "autopatrolled", "bot",
        "minor", "patrolled", "redirect", "unpatrolled")
PARAMS = (
    Param("start", "timestamp", help="The timestamp to start enumerating from."),
    Param("end", "timestamp", help="The timestamp to end enumerating."),
    Param("dir", ("newer", "older"), default="older", help="In which direction to enumerate."),
    Param("namespace", "namespace", multi=True, help="Filter changes to only these namespaces."),
    Param("user", "user", help="Only list changes by this user."),
    Param("excludeuser", "user", help="Don't list changes by this user."),
    Param("tag", "string", help="Only list changes tagged with this tag."),
    Param("prop", PROPS, multi=True, default="title|timestamp|ids", help="Include additional pieces of information."),
    Param("show", SHOW, multi=True, help="Show only items that meet these criteria."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="How many total changes to return."),
    Param("type", tuple(sorted(TYPES)), multi=True, default="edit|new|log|categorize",
          help="Which types of changes to show."),
    Param("toponly", "boolean", help="Only list changes which are the latest revision."),
    Param("title", "string", help="Filter entries to those related to a page."),
    Param("continue", "string", help="When more results are available, use this to continue."),
    Param("generaterevisions", "boolean", help="When used as a generator, generate revision IDs rather than titles."),
    Param("slot", ("main",), help="Only list changes that touch the named slot."),
)
EXAMPLES = (
    ("action=query&list=recentchanges", "List recent changes."),
    ("action=query&generator=recentchanges&grcshow=!patrolled&prop=info", "Get page info about recent unpatrolled changes."),
)
# Pairs of show values that exclude each other, as MediaWiki lists them.
_CONFLICTS = (("minor", "!minor"), ("bot", "!bot"), ("anon", "!anon"), ("redirect", "!redirect"),
              ("patrolled", "!patrolled"), ("patrolled", "unpatrolled"), ("!patrolled", "unpatrolled"),
              ("autopatrolled", "!autopatrolled"), ("autopatrolled", "unpatrolled"), ("autopatrolled", "!patrolled"))
# The patrol statuses (0 not yet, 1 patrolled, 2 autopatrolled) each patrol filter lets through.
_PATROL_SHOW = {"patrolled": {1, 2}, "!patrolled": {0}, "unpatrolled": {0}, "autopatrolled": {2},
                "!autopatrolled": {0, 1}}


def _filter(ctx: ApiContext, params: dict[str, Any]) -> ChangeFilter:
    target = None
    if params["title"] is not None:
        try:
            title = parse_title(params["title"], ctx.services.namespaces)
        except InvalidTitle:
            raise ApiError("invalidtitle", params["title"]) from None
        target = (title.namespace, title.dbkey)
    show = set(params["show"])
    patrolled = check_show(ctx, show, _CONFLICTS, _PATROL_SHOW)
    require_max_one_of(params, "user", "excludeuser", prefix=PREFIX)
    return ChangeFilter(
        namespaces=tuple(params["namespace"]), user=params["user"], exclude_user=params["excludeuser"],
        target=target, types=tuple(TYPES[t] for t in params["type"]), minor=either(show, "minor"),
        bot=either(show, "bot"), anonymous=either(show, "anon"), redirect=either(show, "redirect"),
        patrolled=patrolled, top_only=params["toponly"])


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    after = parse_continue(params["continue"]) if params["continue"] is not None else None
    found = _filter(ctx, params)
    props = set(params["prop"])
    if "patrolled" in props and not can_patrol(ctx):
        raise ApiError("permissiondenied-patrolflag", code="permissiondenied")
    limit = params["limit"]
    # No change carries a tag here, and none is external or a category membership change.
    rows = [] if params["tag"] is not None else await ctx.services.queries.recent_changes(
        found, now=ctx.now, newest_first=params["dir"] == "older", limit=limit + 1, start=params["start"],
        end=params["end"], after=after)
    emit(ctx, query, PREFIX, "recentchanges", rows, limit, lambda row: _item(ctx, row, props))


def _item(ctx: ApiContext, row: ListedChange, props: set[str]) -> dict[str, Any]:
    change = row.change
    item = heading(ctx, row, props)
    if "ids" in props:
        item.update({"pageid": change.page_id, "revid": change.this_oldid, "old_revid": change.last_oldid,
                     "rcid": change.id})
    if props & {"user", "userid"}:
        if "user" in props:
            item["user"] = change.user_text
        if "userid" in props:
            item["userid"] = change.user_id
        if not change.user_id:
            item["anon"] = True
    item.update(flags_sizes_time(row, props))
    item.update(comments(row, props))
    if "redirect" in props:
        item["redirect"] = row.is_redirect
    if "patrolled" in props:
        item.update(patrol_flags(ctx, row))
    if "loginfo" in props and change.type == 3:
        item.update(log_info(row))
    if "tags" in props:
        item["tags"] = []
    if "sha1" in props and row.sha1 is not None:
        item["sha1"] = row.sha1
    return item
