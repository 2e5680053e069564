"""list=usercontribs: the edits of one or more users, newest first."""

from __future__ import annotations

from typing import Any

from wikigate.api.changelists import can_patrol, check_show, either
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param, require_one_of
from wikigate.services.queries import Contribution
from wikigate.timeutil import parse_timestamp, to_iso, to_mw

NAME = "usercontribs"
GROUP = "list"
PREFIX = "uc"
DESCRIPTION = "Get all edits by a user."
PROPS = ("comment", "flags", "ids", "parsedcomment", "patrolled", "size", "sizediff", "tags", "timestamp", "title")
SHOW = ("!autopatrolled", "!minor", "!new", "!patrolled", "!top", "autopatrolled", "minor", "new", "patrolled", "top")
PARAMS = (
    Param("limit", "limit", default=10, max=500, highmax=5000, help="The maximum number of contributions to return."),
    Param("start", "timestamp", help="The start timestamp to return from."),
    Param("end", "timestamp", help="The end timestamp to return to."),
    Param("continue", "string", help="When more results are available, use this to continue."),
    Param("user", "user", multi=True, help="The users to retrieve contributions for."),
    Param("userids", "integer", multi=True, help="The user IDs to retrieve contributions for."),
    Param("userprefix", "string", help="Retrieve contributions for all users whose names begin with this value."),
    Param("dir", ("newer", "older"), default="older", help="In which direction to enumerate."),
    Param("namespace", "namespace", multi=True, help="Only list contributions in these namespaces."),
    Param("prop", PROPS, multi=True, default="ids|title|timestamp|comment|size|flags",
          help="Include additional pieces of information."),
    Param("show", SHOW, multi=True, help="Show only items that meet these criteria."),
    Param("tag", "string", help="Only list revisions tagged with this tag."),
    Param("toponly", "boolean", deprecated=True, help="Only list changes which are the latest revision."),
)
EXAMPLES = (
    ("action=query&list=usercontribs&ucuser=Example", "Show contributions of user Example."),
    ("action=query&list=usercontribs&ucuserprefix=192.0.2.", "Show contributions from all IP addresses with prefix 192.0.2.."),
)
_CONFLICTS = (("minor", "!minor"), ("patrolled", "!patrolled"), ("autopatrolled", "!autopatrolled"),
              ("autopatrolled", "!patrolled"), ("top", "!top"), ("new", "!new"))
_PATROL_SHOW = {"patrolled": {1, 2}, "!patrolled": {0}, "autopatrolled": {2}, "!autopatrolled": {0, 1}}


def _parse_continue(value: str, several: bool) -> tuple[int | None, float, int]:
    """`time|revid` for one user; `actor|user id|time|revid` for several."""
    parts = value.split("|")
    try:
        if several:
            if len(parts) != 4 or parts[0] not in ("id", "actor"):
                raise ValueError(value)
            return int(parts[1]), parse_timestamp(parts[2]), int(parts[3])
        if len(parts) != 2:
            raise ValueError(value)
        return None, parse_timestamp(parts[0]), int(parts[1])
    except ValueError:
        raise ApiError("badcontinue") from None


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    # Given counts, even empty, as MediaWiki counts it; an empty user list names nobody.
    given = {name: True if ctx.request.has(PREFIX + name) else None for name in ("user", "userids", "userprefix")}
    require_one_of(given, "user", "userids", "userprefix", prefix=PREFIX)
    if given["user"] and not params["user"]:
        raise ApiError("paramempty", PREFIX + "user", code=f"paramempty_{PREFIX}user")
    show = set(params["show"])
    patrolled = check_show(ctx, show, _CONFLICTS, _PATROL_SHOW,
                           guarded=frozenset({"patrolled", "!patrolled"}))
    props = set(params["prop"])
    if "patrolled" in props and not can_patrol(ctx):
        raise ApiError("permissiondenied-patrolflag", code="permissiondenied")
    names = list(dict.fromkeys(params["user"])) if params["user"] else None
    ids = list(dict.fromkeys(params["userids"])) if params["userids"] else None
    several = params["userprefix"] is not None or len(names or ids or ()) > 1
    after = _parse_continue(params["continue"], several) if params["continue"] is not None else None
    newest_first = params["dir"] == "older"
    limit = params["limit"]
    # No revision carries a change tag here.
    rows = [] if params["tag"] is not None else await ctx.services.queries.contributions(
        user_names=names, user_ids=ids, user_prefix=params["userprefix"], namespaces=params["namespace"],
        newest_first=newest_first, limit=limit + 1, start=params["start"], end=params["end"],
        after=after, minor=either(show, "minor"), new=either(show, "new"),
        top=True if params["toponly"] else either(show, "top"), patrolled=patrolled)
    if len(rows) > limit:
        following = rows[limit].revision
        stamp = f"{to_mw(following.timestamp)}|{following.id}"
        query.set_continue(query.continue_key(PREFIX), f"actor|{following.user_id}|{stamp}" if several else stamp)
        rows = rows[:limit]
    query.data["usercontribs"] = [_item(ctx, row, props) for row in rows]


def _item(ctx: ApiContext, row: Contribution, props: set[str]) -> dict[str, Any]:
    revision = row.revision
    item: dict[str, Any] = {"userid": revision.user_id, "user": revision.user_text}
    if "ids" in props:
        item.update({"pageid": revision.page_id, "revid": revision.id, "parentid": revision.parent_id or 0})
    if "title" in props:
        title = ctx.services.namespaces.title(row.namespace, row.title)
        item.update({"ns": row.namespace, "title": title.prefixed_text})
    if "timestamp" in props:
        item["timestamp"] = to_iso(revision.timestamp)
    if "flags" in props:
        item.update({"new": not revision.parent_id, "minor": revision.minor, "top": row.top})
    if "comment" in props:
        item["comment"] = revision.comment
    if "parsedcomment" in props:
        item["parsedcomment"] = revision.comment
    if "patrolled" in props:
        item.update({"patrolled": row.patrolled is not None and row.patrolled != 0,
                     "autopatrolled": row.patrolled == 2})
    if "size" in props:
        item["size"] = revision.len
    if "sizediff" in props:
        item["sizediff"] = revision.len - (row.parent_len or 0)
    if "tags" in props:
        item["tags"] = []
    return item
