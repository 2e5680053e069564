"""action=options: change the current user's preferences."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param
from wikigate.messages import Message
from wikigate.services import preferences
from wikigate.services.pages import PageError
from wikigate.services.permissions import missing_right_error

NAME = "options"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Change preferences of the current user."
PARAMS = (
    Param("reset", "boolean", help="Resets preferences to the site defaults."),
    Param("resetkinds", preferences.RESET_KINDS, multi=True, default="all",
          help="List of types of options to reset when the reset option is set."),
    Param("change", "string", multi=True,
          help="List of changes, formatted name=value (e.g. skin=vector). If no value is given (not even an equals "
               "sign), e.g., optionname|otheroption|..., the option will be reset to its default value."),
    Param("optionname", "string", help="The name of the option that should be set to the value given by optionvalue."),
    Param("optionvalue", "string", help="The value for the option specified by optionname."),
)
EXAMPLES = (
    ("action=options&reset=&token=123ABC", "Reset all preferences."),
    ("action=options&change=skin=vector|hideminor=1&token=123ABC", "Change skin and hideminor preferences."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    if ctx.user.is_anon:
        raise ApiError("mustbeloggedin", Message("action-editmyoptions"), code="notloggedin")
    if not ctx.has_right("editmyoptions"):
        raise api_error(PageError([missing_right_error("editmyoptions", ctx.settings)]), ctx.uselang)
    if params["optionvalue"] is not None and params["optionname"] is None:
        raise ApiError("missingparam", "optionname", code="nooptionname")
    changes: dict[str, str | None] = {}
    if params["optionname"] is not None:
        changes[params["optionname"]] = params["optionvalue"]
    for change in params["change"]:
        name, equals, value = change.partition("=")
        changes[name] = value if equals else None
    stored = await ctx.services.accounts.options(ctx.user.id)
    reset: list[str] = []
    if params["reset"]:
        kinds = set(params["resetkinds"])
        reset = [name for name in stored if "all" in kinds or preferences.kind_of(name) in kinds]
    if not params["reset"] and not changes:
        raise ApiError("nochanges")
    accepted: dict[str, str | None] = {}
    for name, value in changes.items():
        refusal = preferences.check(name, value)
        if refusal is None:
            accepted[name] = value
        else:
            ctx.warn_module(ApiMessage.of("validationfailed", name, Message(refusal.key, refusal.params),
                                          kind="apiwarn"))
    await ctx.services.accounts.change_options(ctx.user.id, accepted, reset=reset)
    return {"options": "success"}
