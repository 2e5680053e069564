"""action=block: block an account, an IP address or a range, from the whole site or from some pages."""

from __future__ import annotations

from typing import Any

from wikigate import titles
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param, check_change_tags, page_missing, require_one_of
from wikigate.messages import Message
from wikigate.services.blocks import BlockRequest
from wikigate.services.pages import PageError
from wikigate.timeutil import format_expiry

NAME = "block"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Block a user."
PARAMS = (
    Param("user", "user", user_ranges=True, help="User to block: a name, an IP address, a range or #user id."),
    Param("userid", "integer", deprecated=True, help="Specify user=#ID instead."),
    Param("expiry", "string", default="never",
          help="Expiry time: relative (5 months, 2 weeks) or absolute (2014-09-18T12:34:56Z); "
               "infinite, indefinite or never for a block that does not end."),
    Param("reason", "string", default="", help="Reason for the block."),
    Param("anononly", "boolean", help="Block anonymous users only (logged-in users of the address may edit)."),
    Param("nocreate", "boolean", help="Prevent account creation."),
    Param("autoblock", "boolean",
          help="Also block the IP address last used by the user and any address they try to edit from."),
    Param("noemail", "boolean", help="Prevent the user from sending email through the wiki (needs blockemail)."),
    Param("hidename", "boolean", help="Hide the user name from the block log (needs hideuser)."),
    Param("allowusertalk", "boolean", help="Let the user edit their own talk page."),
    Param("reblock", "boolean", help="If the user is blocked already, replace the block."),
    Param("watchuser", "boolean", help="Watch the user's or IP address's user and talk pages."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the block log."),
    Param("partial", "boolean", help="Block the user from some pages or namespaces rather than the whole site."),
    Param("pagerestrictions", "title", multi=True, multi_limit=10,
          help="Pages the user may not edit (with partial)."),
    Param("namespacerestrictions", "namespace", multi=True,
          help="Namespaces the user may not edit (with partial)."),
)
EXAMPLES = (
    ("action=block&user=192.0.2.5&expiry=3%20days&reason=First%20strike&token=123ABC",
     "Block IP address 192.0.2.5 for three days with a reason."),
    ("action=block&user=Vandal&expiry=never&reason=Vandalism&nocreate=&autoblock=&noemail=&token=123ABC",
     "Block user Vandal indefinitely with a reason, and prevent new account creation and email sending."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    # Tags are a parameter type in MediaWiki: refused while the parameters are read.
    check_change_tags(params["tags"])
    if not ctx.has_right("block"):
        raise ApiError("permissiondenied", Message("action-block"))
    for text in params["pagerestrictions"]:
        if not await ctx.services.pages.page_exists(titles.parse_title(text, ctx.services.namespaces)):
            raise ApiError(page_missing("pagerestrictions", text))
    require_one_of(params, "user", "userid")
    target = await _target(ctx, params)
    if params["noemail"] and not ctx.has_right("blockemail"):
        raise ApiError("cantblock-email")
    partial = params["partial"]
    request = BlockRequest(
        target=target, expiry=params["expiry"], reason=params["reason"], anon_only=params["anononly"],
        no_create=params["nocreate"], autoblock=params["autoblock"], no_email=params["noemail"],
        hide_name=params["hidename"], allow_usertalk=params["allowusertalk"], partial=partial,
        pages=tuple(params["pagerestrictions"]) if partial else (),
        namespaces=tuple(params["namespacerestrictions"]) if partial else (), reblock=params["reblock"],
        watch_user=params["watchuser"])
    try:
        placed = await ctx.services.blocks.place(ctx.user, request, ctx.now)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    block = placed.block
    return {"block": {
        "user": block.target, "userID": block.user_id,
        "expiry": format_expiry(block.expiry, infinity="infinite"), "id": block.id, "reason": params["reason"],
        **{name: params[name] for name in ("anononly", "nocreate", "autoblock", "noemail", "hidename",
                                           "allowusertalk", "watchuser", "partial")},
        "pagerestrictions": params["pagerestrictions"] if ctx.request.has("pagerestrictions") else None,
        "namespacerestrictions": (params["namespacerestrictions"] if ctx.request.has("namespacerestrictions")
                                  else None),
    }}


async def _target(ctx: ApiContext, params: dict[str, Any]) -> str:
    """The target as typed, with `#id` and userid turned into the name of that account."""
    name = params["user"]
    if name is not None and not name.startswith("#"):
        return str(name)
    user_id = params["userid"] if name is None else int(name[1:])
    record = await ctx.services.accounts.by_id(user_id)
    if record is None:
        if name is None:
            raise ApiError("nosuchuserid", user_id)
        return "Unknown user"  # what MediaWiki makes of an id nobody has, and then finds no such user
    return record.name
