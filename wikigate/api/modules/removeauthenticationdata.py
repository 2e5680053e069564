"""action=removeauthenticationdata: a logged-in user drops a pending temporary password.

The main password cannot be removed (MediaWiki's `$wgRemoveCredentialsBlacklist`), so the
temporary password from a reset mail is the only removable credential.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.authmanager import require_recent_login
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param
from wikigate.auth.responses import TEMPORARY_PASSWORD_REQUEST

NAME = "removeauthenticationdata"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Remove authentication data for the current user."
PARAMS = (
    Param("request", "string", required=True,
          help="Use this authentication request, by the id returned from "
               "action=query&meta=authmanagerinfo with amirequestsfor=remove."),
)
EXAMPLES = (
    ("action=removeauthenticationdata&request=FooAuthenticationRequest&token=123ABC",
     "Attempt to remove the current user's data for FooAuthenticationRequest."),
)



async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    record = require_recent_login(ctx, "apierror-mustbeloggedin-removeauth")
    if params["request"] != TEMPORARY_PASSWORD_REQUEST:
        raise ApiError("changeauth-norequest", code="badrequest")
    await ctx.services.accounts.remove_temporary_password(record)
    return {NAME: {"status": "success"}}
