"""meta=authmanagerinfo: what the authentication manager can do and which fields it asks for.

Not read-mode: a client on a private wiki must learn how to log in.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.authmanager import MESSAGE_FORMATS, format_requests
from wikigate.api.context import ApiContext
from wikigate.api.params import Param
from wikigate.auth.manager import Action

NAME = "authmanagerinfo"
GROUP = "meta"
PREFIX = "ami"
READ = False
DESCRIPTION = "Retrieve information about the current authentication status."
PARAMS = (
    Param("securitysensitiveoperation", "string",
          help="Test whether the user's current authentication status is sufficient for the specified "
               "security-sensitive operation."),
    Param("requestsfor", tuple(action.value for action in Action),
          help="Fetch information about the authentication requests needed for the specified "
               "authentication action."),
    Param("mergerequestfields", "boolean",
          help="Merge field information for all authentication requests into one array."),
    Param("messageformat", MESSAGE_FORMATS, default="wikitext", help="Format to use for returning messages."),
)
EXAMPLES = (
    ("action=query&meta=authmanagerinfo&amirequestsfor=login",
     "Fetch the requests that may be used when beginning a login."),
    ("action=query&meta=authmanagerinfo&amirequestsfor=login&amimergerequestfields=1",
     "Fetch the requests that may be used when beginning a login, with form fields merged."),
    ("action=query&meta=authmanagerinfo&amisecuritysensitiveoperation=foo",
     "Test whether authentication is sufficient for action foo."),
)


def security_status(ctx: ApiContext) -> str:
    """ok, reauth or fail: whether the login is recent enough for a sensitive change."""
    if ctx.user.is_anon:
        return "reauth"
    if ctx.user.bot_app_id is not None:
        # A bot-password session cannot re-authenticate; MediaWiki lets it through by default.
        return "ok"
    logged_in_at = ctx.session.get("auth_time")
    threshold = ctx.settings.reauthenticate_time
    if threshold >= 0 and (logged_in_at is None or ctx.now - logged_in_at > threshold):
        return "reauth"
    return "ok"


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    info: dict[str, Any] = {"canauthenticatenow": True, "cancreateaccounts": True, "canlinkaccounts": False}
    if params["securitysensitiveoperation"] is not None:
        info["securitysensitiveoperationstatus"] = security_status(ctx)
    wanted = params["requestsfor"]
    if wanted is not None:
        manager = ctx.services.login.manager(ctx.session, ip=ctx.ip, now=ctx.now)
        requests = await manager.requests_for(Action(wanted), creator_is_anon=ctx.user.is_anon,
                                              account="" if ctx.user.is_anon else ctx.user.name)
        info.update(haspreservedstate=False, hasprimarypreservedstate=False, preservedusername="")
        info.update(format_requests(requests, params, ctx.uselang))
    query.data["authmanagerinfo"] = info
