"""Special:OAuth/<step>: OAuth 1.0a's endpoints on index.php, as Extension:OAuth serves them
(initiate, authorize, token, identify)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from wikigate.api.errors import ApiError
from wikigate.api.main import Pipeline, signed_request
from wikigate.api.request import ApiRequest
from wikigate.messages import Message
from wikigate.pages.base import HEADERS, readable
from wikigate.pages.consent import consent_page, consent_token, consent_token_ok
from wikigate.services.oauth1 import OAuth1Error

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def special_oauth(api_request: ApiRequest, pipeline: Pipeline, subpage: str) -> Response:
    """index.php?title=Special:OAuth/<subpage>: OAuth 1.0a's initiate, authorize, token and identify.

    Answers are `key=value&…` text (JSON with format=json); refusals are `Error: <text>` (or
    {"error", "message"}), with status 200, as the extension answers them.
    """
    services = pipeline.services
    oauth1 = services.oauth1
    now = services.clock.now()
    as_json = api_request.peek("format") == "json"
    signed = signed_request(api_request)
    try:
        if subpage == "initiate":
            return _oauth1_answer(await oauth1.initiate(signed, api_request.client_ip, now), as_json)
        if subpage == "token":
            return _oauth1_answer(await oauth1.exchange(signed, api_request.client_ip, now), as_json)
        if subpage == "identify":
            return Response(await oauth1.identify(signed, api_request.client_ip, now), media_type="application/json",
                            headers=NO_STORE)
        if subpage in ("authorize", "authenticate"):
            return await _oauth1_consent(api_request, pipeline)
    except OAuth1Error as error:
        if as_json or subpage == "identify":
            return JSONResponse({"error": error.key, "message": error.text}, headers=NO_STORE)
        return PlainTextResponse(f"Error: {error.text}", headers=NO_STORE)
    return PlainTextResponse("Error: The action requested is not known.", headers=NO_STORE)


def _oauth1_answer(values: dict[str, str], as_json: bool) -> Response:
    if as_json:
        return JSONResponse({"key": values["oauth_token"], "secret": values["oauth_token_secret"],
                             **({"oauth_callback_confirmed": "true"} if "oauth_callback_confirmed" in values else {})},
                            headers=NO_STORE)
    return PlainTextResponse(urlencode(values), headers=NO_STORE)


async def _oauth1_consent(api_request: ApiRequest, pipeline: Pipeline) -> Response:
    """The consent step at Special:OAuth/authorize, on the browser's api.php session."""
    services = pipeline.services
    try:
        ctx = await pipeline.open(api_request)
    except ApiError as error:  # credentials in the request that do not hold
        return PlainTextResponse(f"Error: {error.code}", headers=NO_STORE)
    lang, sitename = ctx.uselang, services.settings.sitename
    script = services.settings.script_path.rstrip("/")

    async def page(status: int = 200, **values: Any) -> Response:
        return await pipeline.close(ctx, consent_page(lang, sitename, script, status=status, **values))

    source = api_request.body if api_request.method == "POST" else api_request.query
    token = source.get("oauth_token") or source.get("requestToken") or ""
    consumer, _ = await services.oauth1.pending(token)
    if ctx.user.is_anon:
        return await page(error=readable(Message("oauth-consent-login"), lang))
    if api_request.method == "POST":
        if not consent_token_ok(ctx.session, api_request.body.get("wpConsentToken", "")):
            return await page(status=400, error=readable(Message("sessionfailure"), lang))
        if api_request.body.get("decision") != "accept":
            return await page(error=readable(Message("oauth-consent-cancelled"), lang))
        target = await services.oauth1.approve(ctx.user, token, services.clock.now())
        return await pipeline.close(ctx, RedirectResponse(target, status_code=302, headers=HEADERS))
    return await page(consumer_name=consumer.name, user=ctx.user, scopes=list(consumer.grants),
                      fields=[("title", "Special:OAuth/authorize"), ("oauth_token", token),
                              ("oauth_consumer_key", consumer.key), ("wpConsentToken", consent_token(ctx.session))],
                      action=f"{script}/index.php")
