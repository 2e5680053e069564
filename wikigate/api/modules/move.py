"""action=move: move a page, and optionally its talk page and subpages."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.formats import status_entries
from wikigate.api.pagerefusals import WATCHLIST, api_error
from wikigate.api.params import Param, check_change_tags, require_one_of
from wikigate.services.moves import MoveRequest, SubpageMove
from wikigate.services.pages import PageError
from wikigate.services.permissions import Denial
from wikigate.titles import InvalidTitle, parse_title

NAME = "move"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Move a page."
PARAMS = (
    Param("from", "string", help="Title of the page to rename. Cannot be used together with fromid."),
    Param("fromid", "integer", help="Page ID of the page to rename. Cannot be used together with from."),
    Param("to", "string", required=True, help="Title to rename the page to."),
    Param("reason", "string", default="", help="Reason for the rename."),
    Param("movetalk", "boolean", help="Rename the talk page, if it exists."),
    Param("movesubpages", "boolean", help="Rename subpages, if applicable."),
    Param("noredirect", "boolean", help="Don't create a redirect."),
    Param("watchlist", WATCHLIST, default="preferences",
          help="Add or remove the page from the watchlist, or follow the preferences."),
    Param("ignorewarnings", "boolean", help="Ignore any warnings."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the move log and to the null "
                                             "revision on the destination page."),
)
EXAMPLES = (
    ("action=move&from=Badtitle&to=Goodtitle&token=123ABC&reason=Misspelled%20title&movetalk=&noredirect=",
     "Move Badtitle to Goodtitle without leaving a redirect."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    require_one_of(params, "from", "fromid")
    try:
        check_change_tags(params["tags"])
        source = await ctx.services.pages.resolve_existing(params["from"], params["fromid"])
    except PageError as error:
        # A title that can hold no page (Special:…) names no page to move either.
        if error.denials[0].key == "apierror-pagecannotexist":
            raise ApiError("missingtitle") from None
        raise api_error(error, ctx.uselang) from None
    try:
        target = parse_title(params["to"], ctx.services.namespaces)
    except InvalidTitle:
        raise ApiError("invalidtitle", params["to"]) from None
    request = MoveRequest(reason=params["reason"], move_talk=params["movetalk"],
                          move_subpages=params["movesubpages"], no_redirect=params["noredirect"],
                          watchlist=params["watchlist"])
    try:
        outcome = await ctx.services.moves.move(ctx.user, source, target, request, now=ctx.now, ip=ctx.ip)
    except PageError as error:
        await ctx.services.blocks.follow_refused_user(ctx.user, error, ctx.now)
        raise api_error(error, ctx.uselang) from None
    main = outcome.main
    result: dict[str, Any] = {"from": main.source.prefixed_text, "to": main.target.prefixed_text,
                              "reason": params["reason"], "redirectcreated": main.redirect_created,
                              "moveoverredirect": main.over_redirect}
    if outcome.talk is not None:
        result.update({"talkfrom": outcome.talk.source.prefixed_text, "talkto": outcome.talk.target.prefixed_text,
                       "talkmoveoverredirect": outcome.talk.over_redirect})
    elif outcome.talk_denials:
        result["talkmove-errors"] = _entries(ctx, outcome.talk_denials)
    if outcome.subpages is not None:
        result["subpages"] = _subpages(ctx, outcome.subpages)
    if outcome.talk_subpages is not None:
        result["subpages-talk"] = _subpages(ctx, outcome.talk_subpages)
    return {"move": result}


def _entries(ctx: ApiContext, denials: tuple[Denial, ...]) -> list[dict[str, Any]]:
    messages = [ApiMessage.of(d.key, *d.params, code=d.code) for d in denials]
    return status_entries(messages, errorformat=ctx.errorformat, formatversion=ctx.formatversion, lang=ctx.errorlang)


def _subpages(ctx: ApiContext, moves: list[SubpageMove] | tuple[Denial, ...]) -> Any:
    if isinstance(moves, tuple):
        return {"errors": _entries(ctx, moves)}
    return [{"from": m.source.prefixed_text, "to": m.target.prefixed_text} if m.target is not None
            else {"from": m.source.prefixed_text, "errors": _entries(ctx, m.denials)} for m in moves]
