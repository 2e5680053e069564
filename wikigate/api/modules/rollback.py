"""action=rollback: undo the last edits to a page by the user who made them."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.pagerefusals import WATCHLIST, api_error
from wikigate.api.params import Param, check_change_tags, require_one_of
from wikigate.services.pages import PageError

NAME = "rollback"
WRITE = True
TOKEN = "rollback"
DESCRIPTION = "Undo the last edit to the page."
PARAMS = (
    Param("title", "string", help="Title of the page to roll back. Cannot be used together with pageid."),
    Param("pageid", "integer", help="Page ID of the page to roll back. Cannot be used together with title."),
    Param("tags", "string", multi=True, help="Tags to apply to the rollback."),
    Param("user", "user", required=True, help="Name of the user whose edits are to be rolled back."),
    Param("summary", "string", default="", help="Custom edit summary. If empty, the default summary is used."),
    Param("markbot", "boolean", help="Mark the reverted edits and the revert as bot edits."),
    Param("watchlist", WATCHLIST, default="preferences",
          help="Add or remove the page from the watchlist, or follow the preferences."),
)
EXAMPLES = (
    ("action=rollback&title=Main%20Page&user=Example&token=123ABC",
     "Roll back the last edits to page Main Page by user Example."),
    ("action=rollback&pageid=122&user=Example&summary=Reverting%20vandalism&markbot=1&token=123ABC",
     "Roll back the last edits to page with ID 122 by user Example, with a summary and marked as bot edits."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    require_one_of(params, "title", "pageid")
    try:
        check_change_tags(params["tags"])
        title = await ctx.services.pages.resolve_existing(params["title"], params["pageid"])
        outcome = await ctx.services.rollbacks.rollback(
            ctx.user, title, params["user"], summary=params["summary"], markbot=params["markbot"],
            watchlist=params["watchlist"], now=ctx.now, ip=ctx.ip)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    return {"rollback": {"title": outcome.title.prefixed_text, "pageid": outcome.page_id, "summary": outcome.summary,
                         "revid": outcome.revision_id, "old_revid": outcome.reverted.id,
                         "last_revid": outcome.restored.id}}
