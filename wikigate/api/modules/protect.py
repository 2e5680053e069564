"""action=protect: change the protection level of a page or a missing title."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.pagerefusals import WATCHLIST, api_error
from wikigate.api.params import Param, check_change_tags, require_one_of, split_multi
from wikigate.services.pages import PageError
from wikigate.timeutil import format_expiry

NAME = "protect"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Change the protection level of a page."
PARAMS = (
    Param("title", "string", help="Title of the page to (un)protect. Cannot be used together with pageid."),
    Param("pageid", "integer", help="ID of the page to (un)protect. Cannot be used together with title."),
    Param("protections", "string", multi=True, required=True,
          help="List of protection levels, formatted action=level (e.g. edit=sysop); all lifts a protection."),
    Param("expiry", "string", multi=True, default="infinite",
          help="Expiry timestamps: one for all protections, or one per protection."),
    Param("reason", "string", default="", help="Reason for (un)protecting."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the protection log."),
    Param("cascade", "boolean", help="Enable cascading protection (protect pages transcluded in this page)."),
    Param("watch", "boolean", deprecated=True, help="Add the page to the watchlist."),
    Param("watchlist", WATCHLIST, default="preferences",
          help="Add or remove the page from the watchlist, or follow the preferences."),
)
EXAMPLES = (
    ("action=protect&title=Main%20Page&token=123ABC&protections=edit=sysop|move=sysop&cascade=&expiry=20070901163000|never",
     "Protect a page."),
    ("action=protect&title=Main%20Page&token=123ABC&protections=edit=all|move=all&reason=Lifting%20restrictions",
     "Unprotect a page by setting restrictions to all."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    require_one_of(params, "title", "pageid")
    watchlist = "watch" if params["watch"] else params["watchlist"]
    # Expiries keep their duplicates: "infinite|infinite" gives two protections an expiry each.
    raw_expiry = ctx.request.peek("expiry")
    expiries = params["expiry"] if raw_expiry is None else split_multi(raw_expiry)
    try:
        title = await ctx.services.pages.resolve_title(params["title"], params["pageid"])
        check_change_tags(params["tags"])
        outcome = await ctx.services.protections.protect(
            ctx.user, title, params["protections"], expiries,
            cascade=params["cascade"], reason=params["reason"], watchlist=watchlist,
            watchlist_expiry=None, now=ctx.now)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    result: dict[str, Any] = {"title": outcome.title.prefixed_text, "reason": params["reason"]}
    if outcome.cascade:
        result["cascade"] = True
    result["protections"] = [
        # A type given without `=level` echoes as null, as in MediaWiki.
        {item.type: item.level if item.level_given else None,
         "expiry": format_expiry(item.expiry, infinity="infinite")}
        for item in outcome.protections
    ]
    return {"protect": result}
