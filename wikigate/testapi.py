"""The HTTP face of a test server's controls (`testing = true`): /testing/faults, /testing/clock
/testing/fixtures and /testing/throttles.

JSON in, JSON out, for test suites in any language. On a server that is not a
test server every call is refused (403), and nothing is armed or moved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from wikigate.fixtures import FixtureError, seed
from wikigate.services.ratelimit import forget_attempts
from wikigate.services.suite import Services
from wikigate.services.testcontrols import KINDS, ControlError, Fault, TestControls

_MAX_BODY = 1024 * 1024  # a fixtures document can list many pages


def _answer(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _problem(code: str, info: str, status: int) -> JSONResponse:
    return _answer({"error": {"code": code, "info": info}}, status)


async def _body(request: Request) -> dict[str, Any]:
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > _MAX_BODY:
            raise ControlError(f"the body is over {_MAX_BODY} bytes")
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise ControlError("the body is not JSON") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def testing_routes(services_of: Callable[[], Services]) -> list[Route]:
    """The routes; `services_of()` gives the running process's services."""

    def controls() -> TestControls | None:
        return services_of().testing

    async def faults(request: Request) -> Response:
        testing = controls()
        if testing is None:
            return _refused()
        try:
            if request.method == "POST":
                return _answer({"armed": _public(await testing.arm(await _body(request)))}, 201)
            if request.method == "DELETE":
                await testing.disarm()
                return _answer({"armed": []})
        except ControlError as error:
            return _problem("badfault", str(error), 400)
        return _answer({"armed": await testing.armed(), "kinds": list(KINDS)})

    async def clock(request: Request) -> Response:
        testing = controls()
        if testing is None:
            return _refused()
        if request.method == "POST":
            try:
                now = await testing.move_clock(await _body(request))
            except ControlError as error:
                return _problem("badclock", str(error), 400)
        else:
            await testing.begin_request()  # the offset another process may have set
            now = testing.now()
        return _answer({"now": now})

    async def fixtures(request: Request) -> Response:
        if controls() is None:
            return _refused()
        try:
            made = await seed(services_of(), await _body(request))
        except (ControlError, FixtureError) as error:
            return _problem("badfixtures", str(error), 400)
        return _answer(made, 201)

    async def throttles(request: Request) -> Response:
        if controls() is None:
            return _refused()
        services = services_of()
        try:
            cleared = await forget_attempts(services.rate_limiter, services.accounts,
                                            name=request.query_params.get("user"), ip=request.query_params.get("ip"))
        except ValueError:
            return _problem("badip", "ip must be an IP address", 400)
        return _answer({"cleared": cleared})

    return [
        Route("/testing/fixtures", fixtures, methods=["POST"]),
        Route("/testing/throttles", throttles, methods=["DELETE"]),
        Route("/testing/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/testing/clock", clock, methods=["GET", "POST"]),
    ]


def _public(fault: Fault) -> dict[str, Any]:
    return {key: getattr(fault, key) for key in ("id", "kind", "count", "user", "session", "lag", "seconds", "reason",
                                                "exception")}


def _refused() -> JSONResponse:
    return _problem("testing-disabled", "This server is not a test server: start it with testing = true "
                    "(WIKIGATE_TESTING=true or `wikigate serve --testing`) to use /testing/.", 403)
