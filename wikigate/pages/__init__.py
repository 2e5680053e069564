"""Pages for people, at MediaWiki's addresses: `index.php?title=X`, `index.php/X` (the article path
siteinfo advertises) and `/wiki/X`.

Special pages are found by their canonical name or any alias (`Special:Login`
is Special:UserLogin); ordinary titles show their text and history. The OAuth
1.0a endpoints and the job runner api-testing calls keep their places.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from wikigate import specialpages, titles
from wikigate.api.errors import ApiError
from wikigate.api.main import Pipeline
from wikigate.api.request import ClientGone
from wikigate.pages import account, botpasswords, moderation, oath, oauthpages, view
from wikigate.pages.base import HEADERS, Page, stylesheet
from wikigate.pages.oauth1 import special_oauth

Handler = Callable[[Page], Awaitable[Response]]

# By canonical name, as 1.39 spells it (Special:UserLogin is an alias of Userlogin).
SPECIAL_PAGES: dict[str, Handler] = {
    "Userlogin": account.user_login,
    "CreateAccount": account.create_account,
    "Userlogout": account.user_logout,
    "PasswordReset": account.password_reset,
    "ChangePassword": account.change_password,
    "ChangeCredentials": account.change_password,
    "OATHManage": oath.oath_manage,
    "BotPasswords": botpasswords.bot_passwords,
    "Protectedpages": moderation.protected_pages,
    "Protectedtitles": moderation.protected_titles,
    "Log": moderation.log,
    "Block": moderation.block,
    "Unblock": moderation.unblock,
    "BlockList": moderation.block_list,
    "Userrights": moderation.user_rights,
    "OAuthConsumerRegistration": oauthpages.consumer_registration,
    "OAuthManageMyGrants": oauthpages.manage_my_grants,
}
# Extension:OAuth's pages, which the list of a stock 1.39 (wikigate/data) does not name.
EXTENSION_PAGES = {name.lower(): name for name in ("OAuthConsumerRegistration", "OAuthManageMyGrants")}


def page_routes(script: str, pipelines: list[Pipeline]) -> list[Route]:
    css = stylesheet()

    async def index(request: Request) -> Response:
        return await _answer(request, pipelines[0], request.path_params.get("title"))

    async def style(request: Request) -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})

    methods = ["GET", "POST", "HEAD"]
    return [
        Route(f"{script}/index.php", index, methods=methods),
        Route("/index.php", index, methods=methods),
        Route(f"{script}/index.php/{{title:path}}", index, methods=methods),
        Route("/wiki/{title:path}", index, methods=methods),
        Route("/", index, methods=methods),
        Route(f"{script}/wikigate.css", style, methods=["GET", "HEAD"]),
    ]


async def _answer(request: Request, pipeline: Pipeline, path_title: str | None) -> Response:
    try:
        api_request = await pipeline.read(request)
    except ApiError as error:  # a body over the limit, an unreadable request: bounded as on api.php
        return PlainTextResponse(error.code, status_code=error.http_status, headers=HEADERS)
    except ClientGone:  # read_request logged it
        return Response(status_code=400)
    raw = (path_title or api_request.body.get("title") or api_request.query.get("title") or "Main Page")
    # OAuth 1.0a's endpoints check their own signatures (a nonce counts once), and the job runner
    # needs no session: neither opens one.
    if raw.startswith("Special:OAuth/"):
        return await special_oauth(api_request, pipeline, raw.split("/", 1)[1])
    if raw.replace("_", " ") == "Special:RunJobs":
        # api-testing drains the job queue after each edit; this server runs no deferred jobs.
        return JSONResponse({"jobs": {}, "reached": "none-ready"})
    try:
        ctx = await pipeline.open(api_request)
    except ApiError as error:  # credentials in the request that do not hold (a bad OAuth token)
        return PlainTextResponse(error.code, status_code=401, headers=HEADERS)
    try:
        title = titles.parse_title(raw, ctx.services.namespaces)
    except titles.InvalidTitle:
        page = Page(ctx, pipeline, titles.parse_title("Special:Badtitle", ctx.services.namespaces))
        page.notices.append(page.text("wikigate-page-badtitle"))
        return await page.show("message.html", heading=page.text("badtitle"), status=400)
    if title.namespace != titles.NS.SPECIAL:
        return await view.view(Page(ctx, pipeline, title))
    name = specialpages.canonical(title.dbkey) or EXTENSION_PAGES.get(title.dbkey.split("/", 1)[0].lower())
    subpage = title.dbkey.split("/", 1)[1] if "/" in title.dbkey else ""
    page = Page(ctx, pipeline, title, subpage=subpage)
    handler = SPECIAL_PAGES.get(name or "")
    if handler is None:
        page.notices.append(page.text("wikigate-page-nospecial" if name else "nosuchspecialpage"))
        return await page.show("message.html", heading=page.text("nosuchspecialpage"), status=404)
    return await handler(page)
