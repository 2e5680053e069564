"""action=patrol: mark a recent change, or the edit that saved a revision, as patrolled."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param, check_change_tags, require_one_of
from wikigate.services.pages import PageError

NAME = "patrol"
WRITE = True
TOKEN = "patrol"
DESCRIPTION = "Patrol a page or revision."
PARAMS = (
    Param("rcid", "integer", help="Recentchanges ID to patrol."),
    Param("revid", "integer", help="Revision ID to patrol."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the patrol log."),
)
EXAMPLES = (
    ("action=patrol&token=123ABC&rcid=230672766", "Patrol a recent change."),
    ("action=patrol&token=123ABC&revid=230672766", "Patrol a revision."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    require_one_of(params, "rcid", "revid")
    try:
        check_change_tags(params["tags"])
        if ctx.request.has("tags") and not ctx.has_right("applychangetags"):
            # Asking for tags at all (even none) needs the right to apply them, as in MediaWiki.
            raise ApiError("tags-apply-no-permission")
        done = await ctx.services.patrols.patrol(ctx.user, change_id=params["rcid"], rev_id=params["revid"],
                                                 now=ctx.now)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    return {"patrol": {"rcid": done.change_id, "ns": done.title.namespace, "title": done.title.prefixed_text}}
