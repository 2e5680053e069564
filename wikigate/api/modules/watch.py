"""action=watch: add pages to the user's watchlist or remove them."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param
from wikigate.api.query import build_pageset
from wikigate.messages import Message, render
from wikigate.services.pages import PageError
from wikigate.services.permissions import missing_right_error

NAME = "watch"
WRITE = True
TOKEN = "watch"
DESCRIPTION = "Add or remove pages from the current user's watchlist."
PARAMS = (
    Param("title", "string", deprecated=True, help="The page to (un)watch. Use titles instead."),
    Param("unwatch", "boolean", help="If set the page will be unwatched rather than watched."),
    Param("continue", "string", help="When more results are available, use this to continue."),
    Param("titles", "string", multi=True, help="A list of titles to work on."),
    Param("pageids", "integer", multi=True, help="A list of page IDs to work on."),
    Param("revids", "integer", multi=True, help="A list of revision IDs to work on."),
    Param("redirects", "boolean", help="Automatically resolve redirects in titles and pageids."),
    Param("converttitles", "boolean", help="Convert titles to other variants if necessary."),
)
EXAMPLES = (
    ("action=watch&titles=Main_Page&token=123ABC", "Watch the page Main Page."),
    ("action=watch&titles=Main_Page&unwatch=&token=123ABC", "Unwatch the page Main Page."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    if ctx.user.is_anon:
        raise ApiError("watchlistanontext", code="notloggedin")
    if not ctx.has_right("editmywatchlist"):
        raise api_error(PageError([missing_right_error("editmywatchlist", ctx.settings)]), ctx.uselang)
    watched = not params["unwatch"]
    flag = "watched" if watched else "unwatched"
    if params["title"] is not None:
        # The old single-title form answers with one object, not a list.
        pageset = await build_pageset(ctx, titles_given=[params["title"]], page_ids=[])
        entry = pageset.entries[0]
        if entry.title is None or not entry.title.can_exist:
            raise ApiError("invalidtitle", params["title"])
        await ctx.services.pages.set_watched(ctx.user, [entry.title], watched, ctx.now)
        return {"batchcomplete": True, "watch": {"title": entry.title.prefixed_text, "ns": entry.title.namespace,
                                                  flag: True}}
    page_ids = list(params["pageids"])
    if params["revids"]:
        page_ids += [rev.page_id for rev in await ctx.services.queries.revisions(params["revids"])]
    pageset = await build_pageset(ctx, titles_given=params["titles"], page_ids=page_ids,
                                  resolve_redirects=params["redirects"])
    storable = [entry.title for entry in pageset.entries if entry.title is not None and entry.title.can_exist]
    await ctx.services.pages.set_watched(ctx.user, storable, watched, ctx.now)
    result = []
    # Invalid titles first, then special pages, then the rest, as MediaWiki's page set lists them.
    for entry in sorted(pageset.entries, key=lambda e: 0 if e.title is None else 1 if not e.title.can_exist else 2):
        if entry.title is None:
            reason = render(Message(entry.invalid_reason or "", entry.invalid_params), "plaintext", ctx.errorlang)
            result.append({"title": entry.text, "invalidreason": reason, "invalid": True})
        elif not entry.title.can_exist:
            result.append({"ns": entry.title.namespace, "title": entry.title.prefixed_text, "special": True})
        else:
            item: dict[str, Any] = {"title": entry.title.prefixed_text, "ns": entry.title.namespace, flag: True}
            if entry.row is None:
                item["missing"] = True
            result.append(item)
    return {"batchcomplete": True, "watch": result}
