"""list=watchlistraw: every page on the user's watchlist (a watched page brings its talk page)."""

from __future__ import annotations

from typing import Any

from wikigate.api.changelists import watchlist_user_id
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param
from wikigate.timeutil import to_iso
from wikigate.titles import InvalidTitle, parse_title

NAME = "watchlistraw"
GROUP = "list"
PREFIX = "wr"
GENERATOR = True
DESCRIPTION = "Get all pages on the current user's watchlist."
PARAMS = (
    Param("continue", "string", help="When more results are available, use this to continue."),
    Param("namespace", "namespace", multi=True, help="Only list pages in the given namespaces."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="How many total results to return per request."),
    Param("prop", ("changed",), multi=True, help="Which additional properties to get."),
    Param("show", ("changed", "!changed"), multi=True, help="Only list items that meet these criteria."),
    Param("owner", "user", user_ips=False, help="Used along with token to access a different user's watchlist."),
    Param("token", "string", help="A security token (available in the user's preferences) to allow access "
                                  "to another user's watchlist."),
    Param("dir", ("ascending", "descending"), default="ascending", help="The direction in which to list."),
    Param("fromtitle", "string", help="Title (with namespace prefix) to begin enumerating from."),
    Param("totitle", "string", help="Title (with namespace prefix) to stop enumerating at."),
)
EXAMPLES = (
    ("action=query&list=watchlistraw", "List pages on the current user's watchlist."),
    ("action=query&generator=watchlistraw&gwrshow=changed&prop=info",
     "Fetch page info for pages on the current user's watchlist that have changed."),
)


def _title_part(text: str | None, ctx: ApiContext) -> tuple[int, str] | None:
    """A (namespace, title) bound; a trailing "X" keeps what a title would trim (a final space)."""
    if text is None:
        return None
    try:
        title = parse_title(text + "X", ctx.services.namespaces)
    except InvalidTitle:
        raise ApiError("invalidtitle", text) from None
    return title.namespace, title.dbkey[:-1]


def _parse_continue(value: str) -> tuple[int, str]:
    namespace, separator, title = value.partition("|")
    if not separator or str(_int(namespace)) != namespace:
        raise ApiError("badcontinue")
    return int(namespace), title


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    user_id = watchlist_user_id(ctx, params["owner"], params["token"])
    show = set(params["show"])
    if {"changed", "!changed"} <= show:
        raise ApiError("show")
    limit = params["limit"]
    after = _parse_continue(params["continue"]) if params["continue"] is not None else None
    changed = True if "changed" in show else False if "!changed" in show else None
    rows = await ctx.services.queries.watched_titles(
        user_id, now=ctx.now, namespaces=params["namespace"], changed=changed,
        descending=params["dir"] == "descending",
        limit=limit + 1, after=after, from_title=_title_part(params["fromtitle"], ctx),
        to_title=_title_part(params["totitle"], ctx))
    if len(rows) > limit:
        namespace, dbkey, _ = rows[limit]
        query.set_continue(query.continue_key(PREFIX), f"{namespace}|{dbkey}")
        rows = rows[:limit]
    found = [(ctx.services.namespaces.title(namespace, dbkey), notified) for namespace, dbkey, notified in rows]
    if query.generating:
        query.generated.extend(title for title, _ in found)
        return
    items = []
    for title, notified in found:
        item: dict[str, Any] = {"ns": title.namespace, "title": title.prefixed_text}
        if "changed" in params["prop"] and notified is not None:
            item["changed"] = to_iso(notified)
        items.append(item)
    # MediaWiki writes this list beside `query`, not inside it.
    query.toplevel["watchlistraw"] = items
