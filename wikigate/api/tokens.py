"""The API's token types: which session secret each uses and the salt mixed into its HMAC.

One table serves the pipeline (checking a module's token) and meta=tokens
(handing tokens out), so the allowed `type` values come from its keys.
"""

from __future__ import annotations

from wikigate.api.context import ApiContext
from wikigate.auth.tokens import ANONYMOUS_TOKEN, make_token, token_matches

TOKEN_TYPES: dict[str, tuple[str, str]] = {
    "createaccount": ("createaccount", ""),
    "csrf": ("default", ""),
    # CentralAuth's, for its global account modules (seed 002 lists them with the core ones).
    "deleteglobalaccount": ("default", "deleteglobalaccount"),
    "login": ("login", ""),
    "patrol": ("default", "patrol"),
    "rollback": ("default", "rollback"),
    "setglobalaccountstatus": ("default", "setglobalaccountstatus"),
    "userrights": ("default", "userrights"),
    "watch": ("default", "watch"),
}
# Types whose anonymous token is the constant `+\`.
EDIT_CLASS_TOKENS = frozenset({"csrf", "deleteglobalaccount", "patrol", "rollback", "setglobalaccountstatus",
                               "userrights", "watch"})


def token_for(ctx: ApiContext, token_type: str) -> str:
    """The session's token of a type; asking for one keeps the session."""
    if ctx.user.is_anon and token_type in EDIT_CLASS_TOKENS:
        return ANONYMOUS_TOKEN
    key, salt = TOKEN_TYPES[token_type]
    secret, _ = ctx.session.token_secret(key)
    ctx.session.persist()
    return make_token(secret, salt, int(ctx.now))


def token_is_valid(ctx: ApiContext, token_type: str, token: str) -> bool:
    if ctx.user.is_anon and token_type in EDIT_CLASS_TOKENS:
        return token == ANONYMOUS_TOKEN
    key, salt = TOKEN_TYPES[token_type]
    secret, created = ctx.session.token_secret(key)
    if created:
        # As in MediaWiki, checking a session-bound token starts the session,
        # so the client's next token request and this check agree.
        ctx.session.persist()
        return False
    return token_matches(token, secret, salt)
