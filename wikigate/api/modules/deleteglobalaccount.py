"""action=deleteglobalaccount: erase an account and its credentials (CentralAuth's module)."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param
from wikigate.messages import Message
from wikigate.services.pages import PageError

NAME = "deleteglobalaccount"
WRITE = True
TOKEN = "deleteglobalaccount"
DESCRIPTION = "Delete a global user."
PARAMS = (
    Param("user", "string", required=True, help="User to delete."),
    Param("reason", "string", help="Reason for deleting the user."),
)
EXAMPLES = (("action=deleteglobalaccount&user=Example&reason=Because+I+can", "Delete global user named Example."),)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    if not ctx.has_right("centralauth-unmerge"):
        raise ApiError("permissiondenied", Message("action-centralauth-unmerge"))
    try:
        name = await ctx.services.account_statuses.delete(ctx.user, params["user"], reason=params["reason"] or "",
                                                          now=ctx.now)
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    return {NAME: {"user": name, "reason": params["reason"]}}
