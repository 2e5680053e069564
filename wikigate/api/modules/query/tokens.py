"""meta=tokens: tokens for data-modifying actions.

Not read-mode: a private wiki must still hand out login tokens.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiMessage
from wikigate.api.main import EDIT_CLASS_TOKENS, TOKEN_TYPES
from wikigate.api.params import Param
from wikigate.auth.tokens import ANONYMOUS_TOKEN, make_token

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


def token_for(ctx: ApiContext, token_type: str) -> str:
    """The session's token of a type; asking for one keeps the session."""
    if ctx.user.is_anon and token_type in EDIT_CLASS_TOKENS:
        return ANONYMOUS_TOKEN
    key, salt = TOKEN_TYPES[token_type]
    secret, _ = ctx.session.token_secret(key)
    ctx.session.persist()
    return make_token(secret, salt, int(ctx.now))


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    if ctx.login_suppressed:
        ctx.warn_module(ApiMessage.of("tokens-origin", kind="apiwarn"))
        query.data["tokens"] = {}
        return
    query.data["tokens"] = {f"{kind}token": token_for(ctx, kind) for kind in params["type"]}
