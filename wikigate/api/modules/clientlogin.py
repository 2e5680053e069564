"""action=clientlogin: log in through the authentication manager, step by step.

Besides its own parameters the module reads the fields of the authentication
requests that apply (`username`, `password`, `rememberMe`, and after a UI step
`OATHToken`, `retype`, `skipReset` …), with the helpers of `api.authmanager`.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.authmanager import (
    check_return_url,
    format_response,
    helper_params,
    read_submission,
    wanted_requests,
)
from wikigate.api.context import ApiContext
from wikigate.api.params import require_at_least_one_of
from wikigate.auth.manager import Action, AuthManager
from wikigate.auth.responses import AuthResponse, AuthStatus
from wikigate.messages import Message

NAME = "clientlogin"
PREFIX = "login"
READ = False
WRITE = True
TOKEN = "login"
DESCRIPTION = "Log in to the wiki using the interactive flow."
PARAMS = helper_params("login")
EXAMPLES = (
    ("action=clientlogin&username=Example&password=ExamplePassword&loginreturnurl=http://example.org/&logintoken=123ABC",
     "Start the process of logging in to the wiki as user Example with password ExamplePassword."),
    ("action=clientlogin&logincontinue=1&OATHToken=987654&logintoken=123ABC",
     "Continue logging in after a UI response for two-factor auth, supplying an OATHToken of 987654."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    require_at_least_one_of(params, "continue", "returnurl", prefix=PREFIX)
    check_return_url(params, PREFIX)
    if ctx.user.oauth_consumer is not None:
        # MediaWiki's AuthManager cannot authenticate now: the OAuth session keeps its user.
        return {NAME: format_response(AuthResponse.fail(Message("userlogin-cannot-login")), params, ctx.uselang)}
    manager = ctx.services.login.manager(ctx.session, ip=ctx.ip, now=ctx.now)
    response = await _step(ctx, manager, params)
    ctx.services.metrics.login(NAME, response.status.value)
    if response.status is AuthStatus.PASS and response.account is not None:
        record = response.account
        ctx.log_in(record.id, record.name, record.token, remember=response.remember)
    return {"clientlogin": format_response(response, params, ctx.uselang)}


async def _step(ctx: ApiContext, manager: AuthManager, params: dict[str, Any]) -> AuthResponse:
    if params["continue"]:
        requests = wanted_requests(await manager.requests_for(Action.LOGIN_CONTINUE), params,
                               given=ctx.request.has(f"{PREFIX}requests"))
        return await manager.continue_authentication(read_submission(ctx, requests))
    requests = wanted_requests(await manager.requests_for(Action.LOGIN), params,
                               given=ctx.request.has(f"{PREFIX}requests"))
    return await manager.begin_authentication(read_submission(ctx, requests), return_url=params["returnurl"])
