"""action=delete: delete a page, keeping its revisions in the archive for undeletion."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiMessage
from wikigate.api.pagerefusals import WATCHLIST, api_error
from wikigate.api.params import Param, check_change_tags, require_one_of
from wikigate.services.pages import PageError

NAME = "delete"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Delete a page."
PARAMS = (
    Param("title", "string", help="Title of the page to delete. Cannot be used together with pageid."),
    Param("pageid", "integer", help="Page ID of the page to delete. Cannot be used together with title."),
    Param("reason", "string", help="Reason for the deletion. If not set, an automatically generated reason is used."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the deletion log."),
    Param("deletetalk", "boolean", help="Delete the talk page, if it exists."),
    Param("watch", "boolean", deprecated=True, help="Add the page to the watchlist."),
    Param("watchlist", WATCHLIST, default="preferences",
          help="Add or remove the page from the watchlist, or follow the preferences."),
    Param("unwatch", "boolean", deprecated=True, help="Remove the page from the watchlist."),
    Param("oldimage", "string", help="The name of the old image to delete (this wiki keeps no files)."),
)
EXAMPLES = (
    ("action=delete&title=Main%20Page&token=123ABC", "Delete Main Page."),
    ("action=delete&title=Main%20Page&token=123ABC&reason=Preparing%20for%20move",
     "Delete Main Page with the reason Preparing for move."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    require_one_of(params, "title", "pageid")
    watchlist = "watch" if params["watch"] else "unwatch" if params["unwatch"] else params["watchlist"]
    try:
        title = await ctx.services.pages.resolve_title(params["title"], params["pageid"])
        check_change_tags(params["tags"])
        outcome = await ctx.services.deletions.delete(
            ctx.user, title, reason=params["reason"], delete_talk=params["deletetalk"], watchlist=watchlist,
            now=ctx.now)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    for warning in outcome.warnings:
        ctx.warn_module(ApiMessage.of(warning.key, *warning.params, code=warning.code))
    return {"delete": {"title": outcome.title.prefixed_text, "reason": outcome.reason, "logid": outcome.log_id}}
