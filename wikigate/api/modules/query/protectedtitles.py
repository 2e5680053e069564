"""list=protectedtitles: titles protected against creation (unexpired ones only)."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param
from wikigate.services.queries import TitleProtection
from wikigate.timeutil import format_expiry, parse_timestamp, to_iso, to_mw

NAME = "protectedtitles"
GROUP = "list"
PREFIX = "pt"
GENERATOR = True
DESCRIPTION = "List all titles protected from creation."
PROPS = ("comment", "expiry", "level", "parsedcomment", "timestamp", "user", "userid")
PARAMS = (
    Param("namespace", "namespace", multi=True, help="Only list titles in these namespaces."),
    Param("level", ("autoconfirmed", "sysop"), multi=True, help="Only list titles with these protection levels."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="How many total pages to return."),
    Param("dir", ("newer", "older"), default="older", help="In which direction to enumerate."),
    Param("start", "timestamp", help="Start listing at this protection timestamp."),
    Param("end", "timestamp", help="Stop listing at this protection timestamp."),
    Param("prop", PROPS, multi=True, default="timestamp|level", help="Which properties to get."),
    Param("continue", "string", help="When more results are available, use this to continue."),
)
EXAMPLES = (
    ("action=query&list=protectedtitles", "List protected titles."),
    ("action=query&generator=protectedtitles&gptnamespace=0&prop=linkshere", "Find links to protected titles in the main namespace."),
)


def _parse_continue(value: str) -> tuple[float, int, str]:
    parts = value.split("|", 2)
    try:
        return parse_timestamp(parts[0]), int(parts[1]), parts[2]
    except (ValueError, IndexError):
        raise ApiError("badcontinue") from None


def _item(ctx: ApiContext, found: TitleProtection, props: set[str]) -> dict[str, Any]:
    title = ctx.services.namespaces.title(found.namespace, found.title)
    item: dict[str, Any] = {"ns": found.namespace, "title": title.prefixed_text}
    if "timestamp" in props:
        item["timestamp"] = to_iso(found.timestamp)
    if "user" in props:
        item["user"] = found.user_name
    if props & {"user", "userid"}:  # MediaWiki gives the id with the name
        item["userid"] = found.user_id
    if "comment" in props:
        item["comment"] = found.reason
    if "parsedcomment" in props:
        item["parsedcomment"] = found.reason
    if "expiry" in props:
        item["expiry"] = format_expiry(found.expiry)
    if "level" in props:
        item["level"] = found.level
    return item


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    limit = params["limit"]
    after = _parse_continue(params["continue"]) if params["continue"] is not None else None
    rows = await ctx.services.queries.protected_titles(
        now=ctx.now, namespaces=params["namespace"], levels=params["level"],
        newest_first=params["dir"] == "older", limit=limit + 1, start=params["start"], end=params["end"],
        after=after)
    if len(rows) > limit:
        following = rows[limit]
        query.set_continue(query.continue_key(PREFIX),
                           f"{to_mw(following.timestamp)}|{following.namespace}|{following.title}")
        rows = rows[:limit]
    if query.generating:
        query.generated.extend(ctx.services.namespaces.title(r.namespace, r.title) for r in rows)
        return
    props = set(params["prop"])
    query.data["protectedtitles"] = [_item(ctx, row, props) for row in rows]
