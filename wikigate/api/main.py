"""The request pipeline, in MediaWiki's order.

1. read the request and the main parameters (format, errorformat, …);
2. CORS (`origin`) and the session and user;
3. asserts (`assert`, `assertuser`);
4. the module's declared parameters;
5. the token (missing, in the query string, or invalid);
6. rights (`read`, `writeapi`, the non-write promise), then `maxlag`;
7. POST required; 8. execute; 9. unrecognised-parameter warnings; 10. format.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from wikigate.api import formats
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.params import Param, extract_params, missing
from wikigate.api.registry import ModuleSpec, Registry
from wikigate.api.request import ApiRequest, ClientGone, TrustedProxies, read_request
from wikigate.api.tokens import token_is_valid
from wikigate.messages import Message, TextList, language_for, render
from wikigate.services.oauth import InvalidAuthorization
from wikigate.services.oauth1 import SignedRequest, is_oauth1
from wikigate.services.sessions import Session
from wikigate.services.suite import Services
from wikigate.services.testcontrols import Armed, injected
from wikigate.services.users import User, build_user
from wikigate.timeutil import to_iso

log = logging.getLogger("wikigate.api")
access_log = logging.getLogger("wikigate.access")

FORMATS = ("json", "jsonfm", "none")
# What a preflight may ask the real request to send: the CORS-safelisted headers and
# the two MediaWiki allows (ApiMain::matchRequestedHeaders).
_EXPOSED_HEADERS = "MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed"
_PREFLIGHT_HEADERS = frozenset({"accept", "accept-language", "content-language", "content-type",
                                "api-user-agent", "authorization"})

def main_params(action_names: list[str]) -> tuple[Param, ...]:
    return (
        Param("action", tuple(action_names), default="help", submodules="action",
              help="Which action to perform."),
        Param("format", FORMATS, default="jsonfm", help="The format of the output."),
        Param("maxlag", "integer", help="Refuse the request when replication lag exceeds this many seconds."),
        # Negative ages count as 0 (in _cache_control), without a warning, as in MediaWiki.
        Param("smaxage", "integer", default=0, help="Shared cache max-age, in seconds."),
        Param("maxage", "integer", default=0, help="Client cache max-age, in seconds."),
        Param("assert", ("anon", "user", "bot"), help="Verify the user is anonymous, logged in, or a bot."),
        Param("assertuser", "user", help="Verify the current user is the named user."),
        Param("requestid", "string", help="Any value given here is echoed in the response."),
        # Accepted, never answered: MediaWiki prints the host only with $wgShowHostnames, off by default.
        Param("servedby", "boolean", help="Include the host name that served the request."),
        Param("curtimestamp", "boolean", help="Include the current timestamp."),
        Param("responselanginfo", "boolean", help="Include the languages used for uselang and errorlang."),
        Param("origin", "string", help="The origin of a cross-site request (CORS)."),
        Param("crossorigin", "boolean", help="Run a CORS request with credentials checked by the header."),
        Param("uselang", "string", default="user", help="Language for messages."),
        Param("variant", "string", help="Language variant."),
        Param("errorformat", formats.ERROR_FORMATS, default="bc", help="Format of warnings and errors."),
        Param("errorlang", "string", default="uselang", help="Language for warnings and errors."),
        Param("errorsuselocal", "boolean", help="Use locally customised error texts."),
    )


FORMAT_PARAMS = (
    Param("callback", "string", help="JSONP callback (not supported)."),
    Param("utf8", "boolean", help="Output non-ASCII characters as they are."),
    Param("ascii", "boolean", help="Escape all non-ASCII characters."),
    Param("formatversion", ("1", "2", "latest"), default="1", help="Output formatting."),
)


# What MediaWiki takes for a language code (anything else is the content language).
_LANGUAGE_CODE = re.compile(r"[a-z0-9_-]+")

class Pipeline:
    def __init__(self, services: Services, registry: Registry) -> None:
        self.services = services
        self.registry = registry
        self.main_params = main_params(list(registry.actions))
        self.proxies = TrustedProxies(services.settings.trusted_proxies)
        self._access_log = services.settings.access_log
        self._metrics = services.metrics
        # The anonymous user's groups and rights depend on the settings only: worked out once.
        anonymous = build_user(None, [], services.settings, 0, ip="")
        self._anonymous = (anonymous.groups, anonymous.rights, anonymous.rights_order)

    async def handle(self, http: Request) -> Response:
        started = time.perf_counter()
        response, module = await self._answer(http, started)
        self._metrics.request(module, response.status_code, time.perf_counter() - started)
        return response

    async def _answer(self, http: Request, started: float) -> tuple[Response, str]:
        """The answer, and the module it came from (`main` when none was reached)."""
        services = self.services
        peer = http.client.host if http.client else ""
        request_id = self.proxies.request_id(peer, http.headers) or services.random.token_hex(12)
        now = services.clock.seconds()
        ctx: ApiContext | None = None
        module_path = "main"
        try:
            api_request = await read_request(http, max_body=services.settings.max_body_bytes, proxies=self.proxies)
        except ApiError as error:
            return self._fallback_error(error, request_id), module_path
        except ClientGone:  # read_request logged it; nobody is left to read an answer
            return Response(status_code=400), module_path
        fmt, formatversion, errorformat, ascii_only = self._output_options(api_request)
        armed: Armed | None = None
        if services.testing:
            # On a test server the clock's offset (which another process may have moved) and the
            # armed faults are read before anything else.
            armed = await services.testing.begin_request()
            now = services.clock.seconds()
        session = await services.sessions.load(api_request.cookies)
        if armed is not None and session.persisted and await armed.take(
                "lost-session", session.user_id, session.id):
            await services.sessions.delete(session.id)  # gone from the store, as when it expires
            session = await services.sessions.load(api_request.cookies)
        ctx = self._context(api_request, session, now, formatversion=formatversion, errorformat=errorformat)
        result: dict[str, Any] = {}
        status = 200
        error_codes: list[str] = []
        try:
            main = extract_params(ctx, self.main_params, "")
            self._format_params(ctx)
            self._cors(ctx, main)
            if self._is_preflight(api_request):
                return self._preflight(ctx), module_path
            if not ctx.login_suppressed:
                await self.identify(ctx)
            if armed is not None:
                await self._early_faults(ctx, armed)
            spec = self.registry.actions[main["action"]]
            module_path = spec.path
            self._asserts(ctx, main)
            # Errors name the module whose step failed, as MediaWiki's do.
            ctx.module_path = spec.path
            params = extract_params(ctx, spec.params, spec.prefix)
            self._check_token(ctx, spec)
            self._check_rights(ctx, spec)
            if armed is not None and spec.write:
                await self._write_faults(ctx, armed)
            ctx.module_path = "main"
            lagged = armed is not None and main["maxlag"] is not None and await armed.take(
                "maxlag", ctx.user.id, ctx.session.id)
            self._check_maxlag(main, lagged.lag if lagged else -1)
            if spec.must_post and not api_request.was_posted:
                raise ApiError("mustbeposted", spec.name)
            ctx.module_path = spec.path
            ctx.cache_mode = spec.cache_mode
            result = await spec.execute(ctx, params) or {}
            ctx.headers["Cache-Control"] = self._cache_control(ctx, main)
            ctx.module_path = "main"
            self._unused_warning(ctx)
            self._echo(ctx, main, result)
        except ApiError as error:
            status = error.http_status
            ctx.headers.update(error.headers)
            error_codes = [m.code for m in error.messages]
            result = self._error_result(ctx, error.messages, ctx.module_path)
        except Exception as exc:  # never a traceback to the client
            error_codes, result = self._internal_error(ctx, exc, request_id)
        if ctx.warnings:
            result = {"warnings": formats.warnings_body(ctx.warnings, errorformat=ctx.errorformat,
                                                         formatversion=ctx.formatversion, lang=ctx.errorlang),
                      **result}
        try:
            await services.sessions.save(ctx.session)
        except Exception as exc:  # the session store failed: the answer says so, as the API would
            ctx.cookies.clear()
            ctx.session.set_cookie = False
            status = 200
            error_codes, result = self._internal_error(ctx, exc, request_id)
        try:
            response = self._respond(ctx, result, fmt, ascii_only, status, request_id)
        except Exception as exc:  # an answer that cannot be written is still answered in the API's shape
            status = 200
            error_codes, result = self._internal_error(ctx, exc, request_id)
            response = self._respond(ctx, result, fmt, ascii_only, status, request_id)
        if error_codes:
            response.headers["MediaWiki-API-Error"] = ", ".join(dict.fromkeys(error_codes))
        if self._access_log and access_log.isEnabledFor(logging.INFO):
            # Names and numbers only: parameters (passwords, tokens) never reach the log.
            access_log.info("%s %s %d", api_request.method, self._logged_module(ctx, module_path),
                            response.status_code, extra={
                                "ms": round((time.perf_counter() - started) * 1000, 2),
                                "user": ctx.user.name if ctx.user.id else "-", "ip": api_request.client_ip,
                                "error": ",".join(error_codes) or "-", "request_id": request_id})
        return response, module_path

    def _context(self, api_request: ApiRequest, session: Session, now: float, *, formatversion: int = 1,
                 errorformat: str = "bc") -> ApiContext:
        """A request's context, its user anonymous until identified."""
        ctx = ApiContext(services=self.services, registry=self.registry, request=api_request, session=session,
                         user=User(0, api_request.client_ip, groups=self._anonymous[0],
                                   rights=self._anonymous[1], rights_order=self._anonymous[2],
                                   ip=api_request.client_ip),
                         now=now, formatversion=formatversion, errorformat=errorformat)
        ctx.uselang, ctx.errorlang = (language_for(code) for code in self._language_codes(ctx))
        return ctx

    async def read(self, http: Request) -> ApiRequest:
        """A request to index.php, read and bounded as api.php reads its requests.

        Raises ApiError for a request that cannot be read, ClientGone for a client that left.
        """
        return await read_request(http, max_body=self.services.settings.max_body_bytes, proxies=self.proxies)

    async def open(self, api_request: ApiRequest) -> ApiContext:
        """The context of a page: the session and user api.php would see for the same cookies, so that
        logging in on a page logs in that browser's API client too.

        Raises ApiError for credentials in the request that do not hold (a bad OAuth token).
        """
        services = self.services
        if services.testing:
            await services.testing.begin_request()  # the clock's offset, as api.php reads it
        session = await services.sessions.load(api_request.cookies)
        ctx = self._context(api_request, session, services.clock.seconds())
        await self.identify(ctx)
        return ctx

    async def close(self, ctx: ApiContext, response: Response) -> Response:
        """Keep what the page changed in the session, and send the cookies it set."""
        await self.services.sessions.save(ctx.session)
        self._write_cookies(ctx, response)
        return response

    @staticmethod
    def _logged_module(ctx: ApiContext, module_path: str) -> str:
        """The module, and for a query its submodules (`query+tokens|userinfo`)."""
        if module_path != "query":
            return module_path
        submodules = [value for name in ("meta", "list", "prop")
                      if (value := ctx.request.peek(name))]
        return f"query+{'|'.join(submodules)}"[:200] if submodules else module_path

    def _internal_error(self, ctx: ApiContext, exc: Exception, request_id: str) -> tuple[list[str], dict[str, Any]]:
        log.exception("internal error %s", request_id)
        code = f"internal_api_error_{type(exc).__name__}"
        message = ApiMessage(Message("apierror-internal-error", (request_id, type(exc).__name__)),
                             code, {"errorclass": type(exc).__name__})
        return [code], self._error_result(ctx, [message], ctx.module_path)

    # -- steps -----------------------------------------------------------------

    def _output_options(self, request: ApiRequest) -> tuple[str, int, str, bool]:
        """Read format options leniently: errors about them are reported later, in json."""
        fmt = request.peek("format") or "jsonfm"
        # An unknown format is answered (with its error) in the default one, as MediaWiki does.
        fmt = fmt if fmt in FORMATS else "jsonfm"
        version = request.peek("formatversion")
        formatversion = 2 if version in ("2", "latest") else 1
        errorformat = request.peek("errorformat") or "bc"
        if errorformat not in formats.ERROR_FORMATS:
            errorformat = "bc"
        ascii_only = request.has("ascii") or (formatversion == 1 and not request.has("utf8"))
        return fmt, formatversion, errorformat, ascii_only

    def _format_params(self, ctx: ApiContext) -> None:
        ctx.module_path = "json"
        try:
            values = extract_params(ctx, FORMAT_PARAMS, "")
        except ApiError as error:
            # MediaWiki's printer fails on its own parameter, says so, and prints the error without it.
            ctx.warn("main", ApiMessage.of("errorprinterfailed", kind="apiwarn"))
            for message in error.messages:
                ctx.warn("json", message)
            raise
        ctx.module_path = "main"
        if values["callback"]:
            raise ApiError("jsonp-not-supported")

    def _cors(self, ctx: ApiContext, main: dict[str, Any]) -> None:
        origin_param = main["origin"]
        request = ctx.request
        if request.headers.get("treat-as-untrusted") is not None:
            ctx.login_suppressed = True
        if origin_param is None:
            return
        if origin_param == "*":
            # Anonymous CORS: the request runs without the user's identity.
            ctx.login_suppressed = True
            ctx.headers["Access-Control-Allow-Origin"] = "*"
            ctx.headers["Access-Control-Allow-Credentials"] = "false"
            self._expose(ctx)
            return
        origins = (request.headers.get("origin") or "").split()
        if origin_param not in origins:
            raise ApiError("corsnotallowed", origin_param, code="badorigin", http_status=403)
        # A header naming several origins says nothing about who is asking: never allowed.
        if len(origins) == 1 and origin_param in ctx.services.settings.cors_allowed_origins:
            ctx.headers["Access-Control-Allow-Origin"] = origin_param
            ctx.headers["Access-Control-Allow-Credentials"] = "true"
            self._expose(ctx)
        else:
            ctx.headers["MediaWiki-CORS-Rejection"] = "Origin mismatch"

    def _expose(self, ctx: ApiContext) -> None:
        # The headers a cross-origin script may read (not for a preflight, which has no answer).
        if not self._is_preflight(ctx.request):
            ctx.headers["Access-Control-Expose-Headers"] = _EXPOSED_HEADERS

    @staticmethod
    def _is_preflight(request: ApiRequest) -> bool:
        return request.method == "OPTIONS" and request.headers.get("access-control-request-method") is not None

    def _preflight(self, ctx: ApiContext) -> Response:
        """A browser's CORS preflight: which methods and headers the real request may use, no body."""
        headers = dict(ctx.headers)
        requested = ctx.request.headers.get("access-control-request-headers")
        if requested is not None:
            names = {name.strip().lower() for name in requested.split(",") if name.strip()}
            if not names <= _PREFLIGHT_HEADERS:
                headers["MediaWiki-CORS-Rejection"] = "Unsupported header requested in preflight"
                return Response(b"", headers=self._with_vary(headers), media_type="text/html")
            headers["Access-Control-Allow-Headers"] = requested
        headers["Access-Control-Allow-Methods"] = "POST, GET, HEAD"
        if ctx.login_suppressed:
            headers["MediaWiki-Login-Suppressed"] = "true"
        return Response(b"", headers=self._with_vary(headers), media_type="text/html")

    def _with_vary(self, headers: dict[str, str]) -> dict[str, str]:
        """With cross-origin requests configured, answers differ by Origin: caches must know."""
        if self.services.settings.cors_allowed_origins:
            vary = [part.strip() for part in headers.get("Vary", "").split(",") if part.strip()]
            if "Origin" not in vary:
                headers["Vary"] = ", ".join([*vary, "Origin"])
        return headers

    async def identify(self, ctx: ApiContext) -> None:
        """Who makes the request: an OAuth 2 bearer token's user, or the session's."""
        services, request = self.services, ctx.request
        authorization = request.headers.get("authorization", "")
        if authorization[:7].lower() == "bearer ":
            try:
                authorized = await services.oauth.authenticate(authorization[7:].strip(), request.client_ip, ctx.now)
            except InvalidAuthorization as refused:
                # MediaWiki answers 200 with the error; the challenge header is for OAuth-aware tools.
                raise ApiError(ApiMessage.of(refused.key, refused.detail, code=refused.key),
                               headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from None
            ctx.user = authorized.user
            ctx.session = await services.sessions.load_bound(authorized.session_key)
            ctx.headers["Vary"] = "Authorization"
            return
        if is_oauth1(authorization):
            signed = signed_request(request)
            try:
                signer, key = await services.oauth1.authenticate(signed, request.client_ip, ctx.now)
            except InvalidAuthorization as refused:
                raise ApiError(ApiMessage.of(refused.key, refused.detail, code=refused.key)) from None
            ctx.user = signer
            ctx.session = await services.sessions.load_bound(key)
            ctx.headers["Vary"] = "Authorization"
            return
        user = await services.identity.resolve(ctx.session, request.cookies, request.client_ip, ctx.now)
        if user is not None:
            ctx.user = user

    def _asserts(self, ctx: ApiContext, main: dict[str, Any]) -> None:
        wanted = main["assert"]
        user = ctx.user
        if wanted == "user" and user.is_anon:
            raise ApiError("assertuserfailed")
        if wanted == "anon" and not user.is_anon:
            raise ApiError("assertanonfailed")
        if wanted == "bot" and not user.has_right("bot"):
            raise ApiError("assertbotfailed")
        named = main["assertuser"]
        if named is not None and named != user.name:
            raise ApiError("assertnameduserfailed", named)

    def _check_token(self, ctx: ApiContext, spec: ModuleSpec) -> None:
        if not spec.token:
            return
        name = spec.token_param
        token = ctx.request.get(name)
        if token is None:
            raise ApiError(missing(name))
        if ctx.request.in_query(name):
            raise ApiError("mustpostparams", name, 1)
        if not token_is_valid(ctx, spec.token, token):
            raise ApiError("badtoken")

    def _check_rights(self, ctx: ApiContext, spec: ModuleSpec) -> None:
        if spec.read and not ctx.has_right("read"):
            raise ApiError("readapidenied")
        if spec.write:
            if not ctx.has_right("writeapi"):
                raise ApiError("writeapidenied")
            if ctx.request.headers.get("promise-non-write-api-action") is not None:
                raise ApiError("promised-nonwrite-api")
            reason = ctx.settings.read_only
            if reason:
                raise ApiError("readonly", data={"readonlyreason": reason})

    def _check_maxlag(self, main: dict[str, Any], lag: int) -> None:
        """One database, no replicas: MediaWiki reports a lag of -1 then, so only maxlag < -1 fails,
        unless a test server has armed a lag (reported as at least maxlag + 1, so that it refuses)."""
        maxlag = main["maxlag"]
        if maxlag is not None and lag >= 0:
            lag = max(lag, maxlag + 1)
        if maxlag is not None and lag > maxlag:
            raise ApiError("maxlag-generic", lag, code="maxlag",
                           data={"host": "", "lag": lag, "type": "db"},
                           headers={"Retry-After": str(max(maxlag, 5)), "X-Database-Lag": str(lag)})

    @staticmethod
    async def _early_faults(ctx: ApiContext, armed: Armed) -> None:
        """A test server's faults that any request can meet, once its user is known."""
        who = (ctx.user.id, ctx.session.id)
        delayed = await armed.take("delay", *who)
        if delayed is not None:
            await asyncio.sleep(delayed.seconds)
        failing = await armed.take("internal-error", *who)
        if failing is not None:
            raise injected(failing.exception)

    @staticmethod
    async def _write_faults(ctx: ApiContext, armed: Armed) -> None:
        """A test server's faults that only writes meet, where MediaWiki would refuse them."""
        who = (ctx.user.id, ctx.session.id)
        read_only = await armed.take("readonly", *who)
        if read_only is not None:
            raise ApiError("readonly", data={"readonlyreason": read_only.reason})
        if await armed.take("ratelimited", *who) is not None:
            raise ApiError("apierror-ratelimited")

    @staticmethod
    def _language_codes(ctx: ApiContext) -> tuple[str, str]:
        """The uselang and errorlang in force, as responselanginfo reports them.

        Read leniently, before anything else: even an error about the main module's own
        parameters is told in the user's language.
        """
        # Codes are lower case, as MediaWiki makes them.
        uselang = (ctx.request.peek("uselang") or "user").lower()
        if uselang in ("user", "content"):
            # No one has a language preference stored here: the user's is the wiki's, English.
            uselang = "en"
        errorlang = (ctx.request.peek("errorlang") or "uselang").lower()
        if ctx.errorformat == "bc":
            errorlang = "en"  # bc errors and warnings are always English, as in MediaWiki
        elif errorlang == "uselang":
            errorlang = uselang
        elif errorlang == "content" or not _LANGUAGE_CODE.fullmatch(errorlang):
            errorlang = "en"
        return uselang, errorlang

    def _unused_warning(self, ctx: ApiContext) -> None:
        unused = ctx.request.unused()
        if unused:
            # An error key in a warning, a list keyed by the parameters' places: as MediaWiki sends it.
            positions = {name: index for index, name in enumerate(ctx.request.ordered_names())}
            listed = TextList(tuple(unused), "comma", keys=tuple(positions[name] for name in unused))
            ctx.warn("main", ApiMessage.of("unrecognizedparams", listed, len(unused), code="unrecognizedparams"))

    def _echo(self, ctx: ApiContext, main: dict[str, Any], result: dict[str, Any]) -> None:
        extra: dict[str, Any] = {}
        if main["requestid"] is not None:
            extra["requestid"] = main["requestid"]
        if main["curtimestamp"]:
            extra["curtimestamp"] = to_iso(ctx.now)
        if main["responselanginfo"]:
            extra["uselang"], extra["errorlang"] = self._language_codes(ctx)
        if extra:
            items = list(result.items())
            position = 1 if items and items[0][0] == "batchcomplete" else 0
            result.clear()
            result.update(dict(items[:position] + list(extra.items()) + items[position:]))

    @staticmethod
    def _cache_control(ctx: ApiContext, main: dict[str, Any]) -> str:
        """MediaWiki's Cache-Control: public with s-maxage/max-age only when asked and allowed."""
        maxage, smaxage = max(main["maxage"], 0), max(main["smaxage"], 0)
        if ctx.cache_mode == "public" and (maxage or smaxage) and not ctx.login_suppressed:
            ctx.headers["Vary"] = "Accept-Encoding, Treat-as-Untrusted, Cookie"
            return f"s-maxage={smaxage}, max-age={maxage}, public"
        return f"private, must-revalidate, max-age={maxage}"

    def _error_result(self, ctx: ApiContext, messages: list[ApiMessage], module_path: str) -> dict[str, Any]:
        docref = render(Message("apihelp-docref", (ctx.services.settings.api_url,)), "plaintext", ctx.errorlang)
        body = formats.error_body(messages, errorformat=ctx.errorformat, formatversion=ctx.formatversion,
                                  docref=docref, module=module_path, lang=ctx.errorlang)
        requestid = ctx.request.peek("requestid")
        if requestid is not None:
            body["requestid"] = requestid
        if ctx.request.has("curtimestamp"):
            body["curtimestamp"] = to_iso(ctx.now)
        return body

    # -- output ----------------------------------------------------------------

    def _respond(self, ctx: ApiContext, result: dict[str, Any], fmt: str, ascii_only: bool, status: int,
                 request_id: str) -> Response:
        headers = {
            "Content-Disposition": "inline; filename=api-result.json",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, must-revalidate, max-age=0",
            "X-Request-Id": request_id,
        }
        headers.update(ctx.headers)
        self._with_vary(headers)
        if ctx.login_suppressed:
            headers["MediaWiki-Login-Suppressed"] = "true"
        payload = formats.to_formatversion(result, ctx.formatversion)
        if ctx.raw is not None and status == 200 and "error" not in result:
            page, media_type = ctx.raw
            response = Response(page, status_code=status, headers=headers, media_type=media_type)
        elif fmt == "none":
            response = Response(b"", status_code=status, headers=headers, media_type="text/plain")
        elif fmt == "jsonfm":
            headers["Content-Disposition"] = "inline; filename=api-result.html"
            response = Response(self._jsonfm(ctx, payload, ascii_only), status_code=status, headers=headers,
                                media_type="text/html; charset=UTF-8")
        else:
            body = formats.encode_json(payload, ascii_only=ascii_only)
            response = Response(body, status_code=status, headers=headers,
                                media_type="application/json; charset=utf-8")
        self._write_cookies(ctx, response)
        return response

    def _jsonfm(self, ctx: ApiContext, payload: Any, ascii_only: bool) -> bytes:
        settings = self.services.settings
        request = ctx.request
        # The query string only: a POST body may hold a password, which has no place in a link.
        as_json = [(name, value) for name, value in request.query.items() if name != "format"]
        json_url = f"{settings.api_url}?{urlencode([*as_json, ('format', 'json')])}"
        return formats.jsonfm_page(payload, ascii_only=ascii_only, sitename=settings.sitename, json_url=json_url,
                                   help_url=f"{settings.api_url}?action=help&modules=main")

    def _write_cookies(self, ctx: ApiContext, response: Response) -> None:
        settings = self.services.settings
        # "detect": the request came over https (as the client or a trusted proxy tells), or the
        # wiki's own address is an https one, as it is behind a proxy that ends TLS.
        secure = settings.cookie_secure == "always" or (settings.cookie_secure == "detect" and (
            ctx.request.scheme == "https" or settings.public_server.startswith("https://")))
        samesite = settings.cookie_samesite.lower() or None
        session = ctx.session
        if session.set_cookie and session.persisted and not session.cookieless:
            response.set_cookie(session.cookie_name, session.id, httponly=True, secure=secure,
                                samesite=samesite)  # type: ignore[arg-type]
            session.set_cookie = False
        for name, value, options in ctx.cookies:
            if options.get("expires_epoch"):
                response.set_cookie(name, value, max_age=0, expires=1, httponly=True, secure=secure,
                                    samesite=samesite)  # type: ignore[arg-type]
            else:
                response.set_cookie(name, value, max_age=options.get("max_age"), httponly=True,
                                    secure=secure, samesite=samesite)  # type: ignore[arg-type]

    def _fallback_error(self, error: ApiError, request_id: str) -> Response:
        """An error found before the request could be read (body too large, bad type)."""
        docref = render(Message("apihelp-docref", (self.services.settings.api_url,)), "plaintext")
        body = formats.error_body(error.messages, errorformat="bc", formatversion=1, docref=docref,
                                  module="main")
        return Response(formats.encode_json(body, ascii_only=True), status_code=error.http_status,
                        media_type="application/json; charset=utf-8",
                        headers={"MediaWiki-API-Error": error.code, "X-Request-Id": request_id,
                                 "X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "private, must-revalidate, max-age=0"})


def signed_request(request: ApiRequest) -> SignedRequest:
    """What an OAuth 1.0a signature of this request covers: the URL as the client addressed it."""
    host = request.headers.get("host", "")
    return SignedRequest.of(request.method, f"{request.scheme}://{host}{request.path}", request.query,
                            request.body if request.form_encoded else {}, request.headers.get("authorization", ""))
