"""action=changeauthenticationdata: a logged-in user sets a new password.

The only change request is the password one (`changeauthrequest=` its id), with the new
password in `password` and again in `retype`; the policy must accept it fully.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.authmanager import require_recent_login
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.params import Param
from wikigate.auth.responses import PASSWORD_REQUEST
from wikigate.messages import Message
from wikigate.services import passwords

NAME = "changeauthenticationdata"
PREFIX = "changeauth"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Change authentication data for the current user."
PARAMS = (
    Param("request", "string", required=True,
          help="Use this authentication request, by the id returned from "
               "action=query&meta=authmanagerinfo with amirequestsfor=change."),
)
EXAMPLES = (
    ("action=changeauthenticationdata&changeauthrequest=MediaWiki%5CAuth%5CPasswordAuthenticationRequest"
     "&password=ExamplePassword&retype=ExamplePassword&changeauthtoken=123ABC",
     "Attempt to change the current user's password to ExamplePassword."),
)



async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    record = require_recent_login(ctx, "apierror-mustbeloggedin-changeauthenticationdata")
    # The request's fields are not declared parameters: read them only for the one request.
    fields = _password_fields(ctx) if params["request"] == PASSWORD_REQUEST else None
    if fields is None:
        raise ApiError("changeauth-norequest", code="badrequest")
    password, retype = fields
    try:
        token = await ctx.services.passwords.change(record, password, retype, groups=ctx.user.groups)
    except passwords.PasswordChangeError as refused:
        raise _refusal(refused) from None
    # As in MediaWiki, the session that changed the password stays logged in; the others end.
    ctx.session.set("user_token", token)
    return {NAME: {"status": "success"}}


def _password_fields(ctx: ApiContext) -> tuple[str, str] | None:
    """Both fields, each filled in and POSTed; None when the form is incomplete."""
    values = []
    for name in ("password", "retype"):
        value = ctx.request.get(name)
        if value is not None and ctx.request.in_query(name):
            raise ApiError("mustpostparams", name, 1)  # a password in a URL ends up in logs
        if not value:
            return None
        values.append(value)
    return values[0], values[1]


def _refusal(refused: passwords.PasswordChangeError) -> ApiError:
    first, *rest = (ApiMessage(Message(issue.code, issue.params), issue.code) for issue in refused.issues)
    return ApiError(first, more=rest)
