"""action=undelete: restore the archived revisions of a deleted page."""

from __future__ import annotations

from typing import Any

from wikigate.api.blockinfo import refuse_if_blocked_sitewide
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.pagerefusals import WATCHLIST, api_error
from wikigate.api.params import Param, check_change_tags
from wikigate.services.pages import PageError
from wikigate.titles import InvalidTitle, parse_title

NAME = "undelete"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Undelete revisions of a deleted page."
PARAMS = (
    Param("title", "string", required=True, help="Title of the page to restore."),
    Param("reason", "string", default="", help="Reason for restoring."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the deletion log."),
    Param("timestamps", "timestamp", multi=True,
          help="Timestamps of the revisions to restore. If neither timestamps nor fileids is given, "
               "all are restored."),
    Param("fileids", "integer", multi=True, help="IDs of the file revisions to restore (this wiki keeps no files)."),
    Param("undeletetalk", "boolean", help="Undelete all revisions of the associated talk page, if any."),
    Param("watchlist", WATCHLIST, default="preferences",
          help="Add or remove the page from the watchlist, or follow the preferences."),
)
EXAMPLES = (
    ("action=undelete&title=Main%20Page&token=123ABC&reason=Restoring%20main%20page",
     "Undelete page Main Page."),
    ("action=undelete&title=Main%20Page&token=123ABC&timestamps=2007-07-03T22:00:45Z|2007-07-02T19:48:56Z",
     "Undelete two revisions of page Main Page."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    await refuse_if_blocked_sitewide(ctx)
    try:
        title = parse_title(params["title"], ctx.services.namespaces)
    except InvalidTitle:
        raise ApiError("invalidtitle", params["title"]) from None
    try:
        check_change_tags(params["tags"])
        outcome = await ctx.services.deletions.undelete(
            ctx.user, title, reason=params["reason"], timestamps=params["timestamps"] or [],
            undelete_talk=params["undeletetalk"], watchlist=params["watchlist"], now=ctx.now)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    return {"undelete": {"title": outcome.title.prefixed_text, "revisions": outcome.revisions, "fileversions": 0,
                         "reason": params["reason"]}}
