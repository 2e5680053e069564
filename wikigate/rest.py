"""rest.php's OAuth 2 routes, as Extension:OAuth serves them: the token endpoint, the consent step,
the resources a token reads, and authorization-server metadata (RFC 8414) for tools that discover.

Errors are league/oauth2-server's JSON answers with their HTTP statuses; the
consent page is a plain form, bound to the browser's api.php session, guarded
by a token of that session and by headers that keep it out of frames.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from wikigate.api.errors import ApiError
from wikigate.api.main import Pipeline
from wikigate.api.request import ApiRequest, ClientGone, read_request
from wikigate.api.tokens import token_is_valid
from wikigate.messages import Message, language_for, render
from wikigate.pages.base import HEADERS
from wikigate.pages.consent import consent_page, consent_token, consent_token_ok
from wikigate.services.oauth import GRANT_TYPES, OAuthError, Registration, usable_by
from wikigate.store.oauth import Consumer

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_AUTHORIZE_FIELDS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                     "code_challenge_method")


def _error(error: OAuthError, *, challenge: bool = False) -> JSONResponse:
    headers = dict(_NO_STORE)
    if challenge:
        headers["WWW-Authenticate"] = 'Basic realm="OAuth"'
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def oauth_routes(script: str, pipelines: list[Pipeline]) -> list[Route]:
    rest = f"{script}/rest.php/oauth2"

    def pipeline() -> Pipeline:
        return pipelines[0]

    async def read(request: Request) -> ApiRequest | Response:
        try:
            return await read_request(request, max_body=pipeline().services.settings.max_body_bytes,
                                      proxies=pipeline().proxies)
        except ApiError as error:
            return JSONResponse({"error": "invalid_request", "error_description": error.code},
                                status_code=error.http_status or 400)
        except ClientGone:
            return Response(status_code=400)

    async def access_token(request: Request) -> Response:
        read_or_answer = await read(request)
        if isinstance(read_or_answer, Response):
            return read_or_answer
        form = {**read_or_answer.query, **read_or_answer.body}
        basic = _basic_credentials(request.headers.get("authorization", ""))
        services = pipeline().services
        try:
            issued = await services.oauth.exchange(form, basic, services.clock.now())
        except OAuthError as error:
            return _error(error, challenge=error.error == "invalid_client" and "authorization" in request.headers)
        return JSONResponse(issued.body(), headers=_NO_STORE)

    async def resource(request: Request) -> Response:
        services = pipeline().services
        kind = request.path_params["kind"]
        header = request.headers.get("authorization", "")
        if header[:7].lower() != "bearer ":
            return _error(OAuthError("access_denied", status=401, hint="Missing \"Authorization\" header"))
        try:
            found = await services.oauth.resource(header[7:].strip(), kind, services.clock.now())
        except OAuthError as error:
            return _error(error)
        return JSONResponse(found)

    async def authorize(request: Request) -> Response:
        read_or_answer = await read(request)
        if isinstance(read_or_answer, Response):
            return read_or_answer
        api_request = read_or_answer
        services = pipeline().services
        try:
            # The browser's api.php session and user; the answer sets cookies as api.php sets them.
            ctx = await pipeline().open(api_request)
        except ApiError as error:
            return JSONResponse({"error": "invalid_request", "error_description": error.code}, status_code=401)
        lang, sitename, session = ctx.uselang, services.settings.sitename, ctx.session
        user = None if ctx.user.is_anon else ctx.user

        async def page(status: int = 200, **values: Any) -> Response:
            return await pipeline().close(ctx, consent_page(lang, sitename, script, status=status, **values))

        params = {name: value for name in _AUTHORIZE_FIELDS
                  if (value := (api_request.body if request.method == "POST" else api_request.query).get(name))}
        try:
            consumer, scopes = await services.oauth.check_authorization_request(params)
        except OAuthError as error:
            return await page(error=error.description + (f" ({error.hint})" if error.hint else ""))
        if user is None:
            return await page(error=render(Message("oauth-consent-login"), "plaintext", lang))
        if not usable_by(consumer, user.id):
            return await page(error=OAuthError("access_denied", status=401).description)
        if request.method == "POST":
            if not consent_token_ok(session, api_request.body.get("wpConsentToken", "")):
                return await page(status=400, error=render(Message("sessionfailure"), "plaintext", lang))
            if api_request.body.get("decision") != "accept":
                denied = OAuthError("unauthorized_client", hint="The user denied the request")
                target = params.get("redirect_uri") or consumer.callback_url
                return RedirectResponse(f"{target}{'&' if '?' in target else '?'}{urlencode(denied.body())}",
                                        status_code=302, headers=HEADERS)
            target = await services.oauth.approve(user, consumer, scopes, params, services.clock.now())
            return await pipeline().close(ctx, RedirectResponse(target, status_code=302, headers=HEADERS))
        return await page(consumer_name=consumer.name, user=user, scopes=scopes,
                          fields=[*params.items(), ("wpConsentToken", consent_token(session))],
                          action=request.url.path)

    async def clients(request: Request) -> Response:
        """rest.php/oauth2/client: register a client (POST) or list one's own (GET), as its owner,
        logged in through api.php, with the session's CSRF token on a POST."""
        read_or_answer = await read(request)
        if isinstance(read_or_answer, Response):
            return read_or_answer
        api_request, services = read_or_answer, pipeline().services
        lang = language_for(api_request.peek("uselang") or "en")
        try:
            ctx = await pipeline().open(api_request)
        except ApiError:
            return _rest_error(401, "rest-permission-denied-anon", lang)
        user = ctx.user
        if user.record is None:
            return _rest_error(401, "rest-permission-denied-anon", lang)
        key = request.path_params.get("key")
        if request.method == "GET":
            mine = [_client_view(found) for found in await services.oauth.consumers_of(user.id)]
            return JSONResponse({"clients": mine, "total": len(mine)})
        form = {**api_request.query, **api_request.body}
        # The session's edit token (meta=tokens' csrftoken), as the REST API asks of cookie sessions.
        if not token_is_valid(ctx, "csrf", form.get("token", "")):
            return _rest_error(403, "rest-badtoken", lang)
        if key is not None:
            if not user.has_right("mwoauthupdateownconsumer"):
                return _rest_error(403, "mwoauth-consumer-user-mismatch", lang)
            found = [c for c in await services.oauth.consumers_of(user.id) if c.key == key]
            if not found:
                return _rest_error(400, "mwoauth-invalid-consumer-key", lang)
            renewed = await services.oauth.reset_secret(key, services.clock.now())
            return JSONResponse(_registered(renewed))
        if not user.has_right("mwoauthproposeconsumer"):
            return _rest_error(403, "mwoauth-rest-permission-denied", lang)
        if not (user.record.email and user.record.email_authenticated):
            return _rest_error(400, "mwoauth-consumer-email-unconfirmed", lang)
        if form.get("email") != user.record.email:
            return _rest_error(400, "mwoauth-consumer-email-mismatched", lang)
        owner_only = form.get("owner_only") in ("1", "true")
        try:
            registration = await services.oauth.register(
                user.name, name=form.get("name", ""), grants=_pipes(form.get("scopes", "")),
                now=services.clock.now(), owner_only=owner_only, callback_url=form.get("callback_url", ""),
                confidential=form.get("is_confidential") in ("1", "true"),
                grant_types=_pipes(form.get("grant_types", "")) or None,
                description=form.get("description", ""), app_version=form.get("version") or "1.0")
        except ValueError as error:
            return _rest_error(400, "mwoauth-invalid-field-generic", lang, str(error))
        return JSONResponse(_registered(registration))

    async def metadata(request: Request) -> Response:
        base = pipeline().services.settings.public_server + rest
        return JSONResponse({
            "issuer": pipeline().services.settings.public_server,
            "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/access_token",
            "response_types_supported": ["code"], "grant_types_supported": list(GRANT_TYPES),
            "code_challenge_methods_supported": ["plain", "S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "none"],
            "scopes_supported": sorted(pipeline().services.settings.grant_permissions),
        })

    handlers: list[tuple[str, Callable[[Request], Awaitable[Response]], list[str]]] = [
        (f"{rest}/access_token", access_token, ["POST"]),
        (f"{rest}/authorize", authorize, ["GET", "POST"]),
        (rest + "/resource/{kind:str}", resource, ["GET"]),
        (f"{rest}/client", clients, ["GET", "POST"]),
        (rest + "/client/{key:str}/reset_secret", clients, ["POST"]),
        ("/.well-known/oauth-authorization-server", metadata, ["GET"]),
    ]
    return [Route(path, handler, methods=methods) for path, handler, methods in handlers]


def _basic_credentials(header: str) -> tuple[str, str] | None:
    """HTTP Basic client credentials, which the token endpoint takes as well as form fields."""
    if header[:6].lower() != "basic ":
        return None
    try:
        name, _, secret = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return name, secret


def _pipes(text: str) -> list[str]:
    return [part for part in text.split("|") if part]


def _client_view(found: Consumer) -> dict[str, Any]:
    return {"name": found.name, "version": found.app_version, "callback_url": found.callback_url,
            "description": found.description, "client_key": found.key, "owner_only": found.owner_only,
            "stage": found.stage, "oauth_version": found.oauth_version,
            "allowed_grants": list(found.oauth2_grant_types), "scopes": list(found.grants)}


def _registered(registration: Registration) -> dict[str, Any]:
    shown = {"name": registration.consumer.name, "client_key": registration.consumer.key,
             "secret": registration.secret}
    if registration.access_token is not None:
        shown["access_token"] = registration.access_token
    return shown


_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}


def _rest_error(status: int, key: str, lang: str, *params: Any) -> JSONResponse:
    """An error as MediaWiki's REST API words it: the message in the user's language and the status."""
    return JSONResponse({"messageTranslations": {lang: render(Message(key, params), "plaintext", lang)},
                         "errorKey": key, "httpCode": status, "httpReason": _REASONS[status]},
                        status_code=status)
