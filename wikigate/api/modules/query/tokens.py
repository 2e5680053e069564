"""meta=tokens: tokens for data-modifying actions.

Not read-mode: a private wiki must still hand out login tokens.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiMessage
from wikigate.api.params import Param
from wikigate.api.tokens import TOKEN_TYPES, token_for

NAME = "tokens"
GROUP = "meta"
READ = False
DESCRIPTION = "Gets tokens for data-modifying actions."
PARAMS = (
    Param("type", tuple(sorted(TOKEN_TYPES)), default="csrf", multi=True, allow_all=True,
          help="Types of token to request."),
)
EXAMPLES = (
    ("action=query&meta=tokens", "Retrieve a csrf token (the default)."),
    ("action=query&meta=tokens&type=watch|patrol", "Retrieve a watch token and a patrol token."),
)


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    if ctx.login_suppressed:
        ctx.warn_module(ApiMessage.of("tokens-origin", kind="apiwarn"))
        query.data["tokens"] = {}
        return
    query.data["tokens"] = {f"{kind}token": token_for(ctx, kind) for kind in params["type"]}
