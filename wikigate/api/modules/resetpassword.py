"""action=resetpassword: mail a temporary password to the accounts a user name or address names.

The answer is "success" whether or not an account matched, and the work itself runs in the
background (`Passwords.start_reset`), so neither the answer nor its timing tells
which names or addresses are registered. Two answers differ from MediaWiki 1.39, which
reports success for them too: giving both `user` and `email` is `invalidparammix`, and a
malformed address is `passwordreset-invalidemail`.
"""

from __future__ import annotations

from typing import Any

from wikigate import usernames
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param, bad_user, require_max_one_of
from wikigate.services import passwords

NAME = "resetpassword"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Send a password reset email to a user."
PARAMS = (
    Param("user", "user", help="User being reset (when the username route is enabled)."),
    Param("email", "string", help="Email address of the users being reset (when the email route is enabled)."),
)
EXAMPLES = (
    ("action=resetpassword&user=Example&token=123ABC", "Send a password reset email to user Example."),
    ("action=resetpassword&email=user@example.com&token=123ABC",
     "Send a password reset email for all users with email address user@example.com."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    settings = ctx.settings
    routes = settings.password_reset_routes
    if not any(routes.values()):
        raise ApiError("apihelp-resetpassword-description-noroutes", code="moduledisabled")
    # A route that is switched off makes its parameter count as not given.
    username = params["user"] if routes.get("username") else None
    email = (params["email"] or None) if routes.get("email") else None
    if username is not None and (usernames.looks_like_ip(username) or username.startswith("#")):
        raise ApiError(bad_user("user", username))  # only names: no addresses, no ids
    require_max_one_of({"user": username, "email": email}, "user", "email")
    try:
        await ctx.services.passwords.request_reset(ctx.user, passwords.ResetRequest(
            username=username, email=email, requester_ip=ctx.ip, now=ctx.now))
    except passwords.ResetRefused as refused:
        raise ApiError(refused.key) from None
    return {NAME: {"status": "success"}}
