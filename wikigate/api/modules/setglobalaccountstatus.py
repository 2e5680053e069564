"""action=setglobalaccountstatus: lock or unlock an account and hide its name (CentralAuth's module)."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param, require_at_least_one_of
from wikigate.messages import Message
from wikigate.services.accountstatus import HIDDEN_LEVELS
from wikigate.services.pages import PageError

NAME = "setglobalaccountstatus"
WRITE = True
TOKEN = "setglobalaccountstatus"
DESCRIPTION = "Set a global user's status."
PARAMS = (
    Param("user", "string", required=True, help="User to change the status of."),
    Param("locked", ("lock", "unlock", ""), help="Change whether this user is locked or not."),
    Param("hidden", HIDDEN_LEVELS, help="Change whether this user is hidden or not."),
    Param("reason", "string", help="Reason for changing the user's status."),
    Param("statecheck", "string",
          help="Optional MD5 of the expected current <userid>:<username>:<hidden>:<locked> value."),
)
EXAMPLES = (
    ("action=setglobalaccountstatus&user=Example&locked=lock&hidden=&reason=Spam", "Lock the user Example."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    # Given empty counts as given: `locked=` asks for no change to the lock, and that is a request.
    require_at_least_one_of({name: True if ctx.request.has(name) else None for name in ("locked", "hidden")},
                            "locked", "hidden")
    if not ctx.has_right("centralauth-lock"):
        raise ApiError("permissiondenied", Message("action-centralauth-lock"))
    locked = {"lock": True, "unlock": False}.get(params["locked"] or "")
    hidden = None if params["hidden"] is None else HIDDEN_LEVELS.index(params["hidden"])
    try:
        status = await ctx.services.account_statuses.set_status(
            ctx.user, params["user"], locked=locked, hidden=hidden, reason=params["reason"] or "",
            statecheck=params["statecheck"], now=ctx.now)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    return {NAME: {"user": status.name, "locked": status.locked, "hidden": status.hidden,
                   "reason": params["reason"]}}
