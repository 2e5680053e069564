"""action=clearhasmsg: clear the current user's new-message flag."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext

NAME = "clearhasmsg"
WRITE = True
MUST_POST = True
DESCRIPTION = "Clears the hasmsg flag for the current user."
PARAMS = ()
EXAMPLES = (("action=clearhasmsg", "Clear the hasmsg flag for the current user."),)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    await ctx.services.pages.clear_new_message(ctx.user)
    return {"clearhasmsg": "success"}
