"""action=logout: end the session and forget the login."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext

NAME = "logout"
READ = False
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Log out and clear session data."
PARAMS = ()
EXAMPLES = (("action=logout&token=123ABC", "Log the current user out."),)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    ctx.log_out()
    return {}
