"""action=logout: end the session and forget the login."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.messages import Message
from wikigate.services.oauth import SESSION_PROVIDER as OAUTH_PROVIDER

NAME = "logout"
READ = False
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Log out and clear session data."
PARAMS = ()
EXAMPLES = (("action=logout&token=123ABC", "Log the current user out."),)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    if ctx.user.oauth_consumer is not None:
        # OAuth credentials come with every request: there is no session to end.
        raise ApiError("cannotlogoutnow-text", Message("sessionprovider-generic", (OAUTH_PROVIDER,)),
                       code="cannotlogout")
    ctx.log_out()
    return {}
