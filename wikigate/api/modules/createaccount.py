"""action=createaccount: register a new account through the authentication manager.

Anonymous visitors may register (the `*` group has `createaccount`), and so may
logged-in users with the right. As in MediaWiki 1.39, the API does not log the
creator in as the new account: the client logs in afterwards.
"""

from __future__ import annotations

from typing import Any

from wikigate.api.authmanager import (
    check_return_url,
    creator_of,
    format_response,
    helper_params,
    read_submission,
    wanted_requests,
)
from wikigate.api.context import ApiContext
from wikigate.api.params import require_at_least_one_of
from wikigate.auth.manager import Action
from wikigate.auth.responses import AuthResponse
from wikigate.messages import Message

NAME = "createaccount"
PREFIX = "create"
READ = False
WRITE = True
TOKEN = "createaccount"
DESCRIPTION = "Create a new user account."
PARAMS = helper_params("create")
EXAMPLES = (
    ("action=createaccount&username=Example&password=ExamplePassword&retype=ExamplePassword"
     "&createreturnurl=http://example.org/&createtoken=123ABC",
     "Start the process of creating user Example with the password ExamplePassword."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    require_at_least_one_of(params, "continue", "returnurl", prefix=PREFIX)
    check_return_url(params, PREFIX)
    if ctx.user.oauth_consumer is not None:
        # MediaWiki's AuthManager cannot authenticate now: the OAuth session keeps its user.
        return {NAME: format_response(AuthResponse.fail(Message("userlogin-cannot-create")), params, ctx.uselang)}
    manager = ctx.services.login.manager(ctx.session, ip=ctx.ip, now=ctx.now)
    if params["continue"]:
        response = await manager.continue_account_creation()
        return {"createaccount": format_response(response, params, ctx.uselang)}
    creator = await creator_of(ctx)
    requests = wanted_requests(await manager.requests_for(Action.CREATE, creator_is_anon=creator.is_anon), params,
                               given=ctx.request.has(f"{PREFIX}requests"))
    submission = read_submission(ctx, requests)
    response = await manager.begin_account_creation(creator, submission,
                                                    create_user=ctx.services.login.create_user)
    return {"createaccount": format_response(response, params, ctx.uselang)}
