"""action=login: the old one-step login, for bot passwords (and, deprecated, main accounts).

The answer is always a `login` result, never an API error: `NeedToken` (with a
token) when no token was sent, `WrongToken`, `Success`, `Failed` with a reason,
or `Aborted` when the account needs an interactive step (two-factor, a forced
password change) that only action=clientlogin can offer.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.authmanager import message_code, raw_message
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiMessage
from wikigate.api.params import Param
from wikigate.api.tokens import token_for
from wikigate.auth.manager import STATE_KEY
from wikigate.auth.providers.botpassword import split_login
from wikigate.auth.responses import AuthStatus
from wikigate.auth.tokens import token_matches
from wikigate.messages import Message, render
from wikigate.services.oauth import SESSION_PROVIDER as OAUTH_PROVIDER

NAME = "login"
PREFIX = "lg"
READ = False
WRITE = True
MUST_POST = True
DESCRIPTION = "Log in and get authentication cookies (for bot passwords; main accounts should use clientlogin)."
PARAMS = (
    Param("name", "string", help="Username."),
    Param("password", "password", sensitive=True, help="Password."),
    Param("domain", "string", help="Domain (optional)."),
    Param("token", "string", sensitive=True, token_type="login",
          help="A \"login\" token retrieved from action=query&meta=tokens."),
)
EXAMPLES = (
    ("action=login&lgname=user&lgpassword=password&lgtoken=123ABC", "Log in as user with a bot password."),
)


def _reason(ctx: ApiContext, message: Message) -> Any:
    """A failure's reason in the request's errorformat; one line, as MediaWiki prints it."""
    fmt = ctx.errorformat
    text_format = "html" if fmt == "html" else ("wikitext" if fmt == "wikitext" else "plaintext")
    text = render(message, text_format, ctx.errorlang).replace("\n", " ")
    if fmt == "bc":
        return text
    out: dict[str, Any] = {"code": message_code(message)}
    if fmt == "raw":
        raw = raw_message(message)
        out.update(key=raw["key"], params=raw["params"])
    elif fmt != "none":
        out[{"html": "html"}.get(fmt, "text") if ctx.formatversion == 2 else "*"] = text
    return out


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    answer = await _login(ctx, params)
    ctx.services.metrics.login(NAME, answer["login"]["result"])
    return answer


async def _login(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    if ctx.login_suppressed:
        return {"login": {"result": "Aborted", "reason": _reason(ctx, Message("api-login-fail-sameorigin"))}}
    if ctx.user.bot_app_id is not None or ctx.user.oauth_consumer is not None:
        # A bot-password or OAuth session cannot switch users (mwn matches the OAuth wording).
        provider = (Message("botpasswords-session-provider") if ctx.user.bot_app_id is not None
                    else Message("sessionprovider-generic", (OAUTH_PROVIDER,)))
        return {"login": {"result": "Aborted",
                          "reason": _reason(ctx, Message("api-login-fail-badsessionprovider", (provider,)))}}
    ctx.session.persist()
    secret, new = ctx.session.token_secret("login")
    token = params["token"]
    if not token:
        ctx.deprecate(ApiMessage.of("deprecation-login-token", kind="apiwarn"), "action=login&!lgtoken")
        return {"login": {"result": "NeedToken", "token": token_for(ctx, "login")}}
    if new:
        # The session (and its token secret) is gone: the token cannot be checked.
        return {"login": {"result": "Failed", "reason": _reason(ctx, Message("authpage-cannot-login-continue"))}}
    if not token_matches(token, secret, ""):
        return {"login": {"result": "WrongToken"}}
    name, password = params["name"] or "", params["password"] or ""
    bot_login = split_login(name, password) if ctx.settings.enable_bot_passwords else None
    if bot_login is not None:
        outcome = await ctx.services.login.bot_password_login(*bot_login, ip=ctx.ip, now=ctx.now)
        if outcome.bot is not None and outcome.account is not None:
            record = outcome.account
            ctx.log_in(record.id, record.name, record.token, remember=False, bot=outcome.bot)
            return _success(record.id, record.name)
        if outcome.final and outcome.message is not None:
            return {"login": {"result": "Failed", "reason": _reason(ctx, outcome.message)}}
    return await _main_account(ctx, name, password)


async def _main_account(ctx: ApiContext, name: str, password: str) -> dict[str, Any]:
    manager = ctx.services.login.manager(ctx.session, ip=ctx.ip, now=ctx.now)
    submission = {"username": name, "password": password, "rememberMe": "1"}
    response = await manager.begin_authentication(submission, return_url="null:")
    if response.status is AuthStatus.PASS and response.account is not None:
        record = response.account
        ctx.log_in(record.id, record.name, record.token, remember=True)
        key = "deprecation-login-botpw" if ctx.settings.enable_bot_passwords else "deprecation-login-nobotpw"
        ctx.deprecate(ApiMessage.of(key, kind="apiwarn"), "main-account-login")
        return _success(record.id, record.name)
    if response.status is AuthStatus.FAIL and response.message is not None:
        return {"login": {"result": "Failed", "reason": _reason(ctx, response.message)}}
    # Two-factor or a password change: an interaction this module cannot hold.
    manager.state.pop(STATE_KEY)
    key = "api-login-fail-aborted" if ctx.settings.enable_bot_passwords else "api-login-fail-aborted-nobotpw"
    return {"login": {"result": "Aborted", "reason": _reason(ctx, Message(key))}}


def _success(user_id: int, name: str) -> dict[str, Any]:
    return {"login": {"result": "Success", "lguserid": user_id, "lgusername": name}}
