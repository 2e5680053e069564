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
    if username is None and email is None:
        raise ApiError("passwordreset-nodata")
    if email is not None and not passwords.is_valid_email(email):
        raise ApiError("passwordreset-invalidemail")
    _check_allowed(ctx)
    block = await ctx.services.blocks.active(ctx.user, ctx.now)
    if block is not None and block.create_account:
        # Those a block keeps from creating accounts may not send reset mail either (MediaWiki's
        # appliesToPasswordReset); the account asked about does not matter.
        raise ApiError("blocked-mailpassword", code="blocked-mailpassword")
    # Over the limit, MediaWiki answers as if the mail went out and sends nothing.
    if not await ctx.services.rate_limiter.exceeded(ctx.user, "mailpassword", ctx.ip):
        ctx.services.passwords.start_reset(passwords.ResetRequest(
            username=username, email=email, requester_ip=ctx.ip, now=ctx.now,
        ))
    return {NAME: {"status": "success"}}


def _check_allowed(ctx: ApiContext) -> None:
    if not ctx.settings.enable_email:
        raise ApiError("passwordreset-emaildisabled")
    if not ctx.has_right("editmyprivateinfo"):
        raise ApiError("badaccess")
