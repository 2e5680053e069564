"""Generated requests over every module, method, encoding and errorformat: always an API answer.

The requests come from the modules' own parameter declarations (hypothesis
draws which parameters, and values of their types, of other types, or
hostile text), sent as GET or POST, urlencoded or multipart, with or without
a valid token. Every answer must be the API's: JSON with a result or an
error that is not an internal one, with an HTTP status the API uses, and
never a traceback. `make test` sends 10,000; `make fuzz` (WIKIGATE_FUZZ=N)
sends as many as asked, and then as many again from a seeded random generator
to check that the server's memory stays flat: hypothesis keeps what it learns
about every example for the whole test (about 130 MiB over 40,000), so memory
is measured without it.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikigate.api.params import Param
from wikigate.api.registry import ModuleSpec, Registry
from wikigate.app import build_runtime, create_app
from wikigate.config import Settings

EXAMPLES = int(os.environ.get("WIKIGATE_FUZZ", "10000"))
API_STATUSES = {200, 400, 403, 413, 415}
ERROR_FORMATS = ("bc", "plaintext", "wikitext", "html", "raw", "none")

HOSTILE_VALUES = [
    "", "0", "-1", "1e309", "99999999999999999999", "NaN", "\x00", "\x1f", "\x1fa\x1fb", "|", "||||", "*",
    "\ud800", "é", "\u202e", "<script>", "' OR 1=1 --", "../../etc/passwd", "a" * 5000, "Main Page",
    "User:Admin", "Special:RunJobs", "infinite", "2020-01-01T00:00:00Z", "edit=sysop", "new", "T-1",
]
HOSTILE = st.sampled_from(HOSTILE_VALUES)


def _raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _registry_specs() -> list[ModuleSpec]:
    registry = Registry()
    specs = list(registry.actions.values())
    for group in registry.query.values():
        specs.extend(group.values())
    return specs


SPECS = _registry_specs()


def _value(param: Param) -> st.SearchStrategy[str]:
    kind = param.type
    if isinstance(kind, tuple):
        typed: st.SearchStrategy[str] = st.sampled_from(kind or ("",))
    elif kind in ("integer", "limit", "namespace"):
        typed = st.integers(-5, 600).map(str) | st.just("max")
    elif kind == "boolean":
        typed = st.sampled_from(["", "1", "0"])
    elif kind == "timestamp":
        typed = st.sampled_from(["now", "2026-01-01T00:00:00Z", "20260101000000", "0", "tomorrow"])
    else:
        typed = st.text(max_size=40)
    value = typed | HOSTILE | st.text(max_size=20)
    if param.multi:
        return st.lists(value, max_size=6).map(lambda values: "|".join(values)) | value
    return value


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    spec = draw(st.sampled_from(SPECS))
    params: dict[str, str] = {}
    if spec.group:
        params["action"] = "query"
        params[spec.group] = spec.name
    else:
        params["action"] = spec.name
    for param in spec.params:
        if draw(st.booleans()):
            params[spec.prefix + param.name] = draw(_value(param))
    if draw(st.booleans()):
        params["errorformat"] = draw(st.sampled_from(ERROR_FORMATS))
    params["formatversion"] = draw(st.sampled_from(["1", "2", "latest", "x"]))
    params["format"] = draw(st.sampled_from(["json", "json", "json", "jsonfm", "none", "xml"]))
    if draw(st.booleans()):
        params[draw(st.text(min_size=1, max_size=8))] = draw(HOSTILE)
    return {
        "params": params,
        "method": draw(st.sampled_from(["GET", "POST", "POST", "PUT", "HEAD"])),
        "multipart": draw(st.booleans()),
        "token": draw(st.sampled_from([None, "csrf", "login", "bad"])),
        "token_name": (spec.prefix + "token") if spec.token else "token",
    }


class Fuzzer:
    """The app on an event loop of its own, so hypothesis' synchronous examples can use it."""

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.runtime = self.loop.run_until_complete(build_runtime(settings))
        self.app = create_app(settings, runtime=self.runtime)
        self.lifespan = self.app.router.lifespan_context(self.app)
        self.loop.run_until_complete(self.lifespan.__aenter__())
        transport = httpx.ASGITransport(app=self.app, client=("127.0.0.1", 40000))
        self.client = httpx.AsyncClient(transport=transport, base_url="http://wiki.test")
        self.tokens = self.run(self._tokens())

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    async def _tokens(self) -> dict[str, str]:
        answer = await self.client.get("/w/api.php", params={"action": "query", "meta": "tokens",
                                                             "type": "csrf|login", "format": "json"})
        tokens = answer.json()["query"]["tokens"]
        return {"csrf": tokens["csrftoken"], "login": tokens["logintoken"], "bad": "0" * 32 + "1+\\"}

    async def send(self, request: dict[str, Any]) -> httpx.Response:
        params = dict(request["params"])
        if request["token"] is not None:
            params[request["token_name"]] = self.tokens[request["token"]]
        method = request["method"]
        if request["multipart"] and method not in ("GET", "HEAD"):
            files = {_raw(name).decode("latin-1"): (None, _raw(value)) for name, value in params.items()}
            return await self.client.request(method, "/w/api.php", files=files)
        # Encoded by hand: lone surrogates and control characters go as the bytes a client sends.
        encoded = "&".join(f"{quote(_raw(name))}={quote(_raw(value))}" for name, value in params.items())
        if method in ("GET", "HEAD"):
            return await self.client.request(method, f"/w/api.php?{encoded}")
        return await self.client.request(method, "/w/api.php", content=encoded.encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})

    def close(self) -> None:
        self.run(self.client.aclose())
        self.run(self.lifespan.__aexit__(None, None, None))
        self.run(self.runtime.close())
        self.loop.close()


@pytest.fixture(scope="module")
def fuzzer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzer]:
    data_dir = tmp_path_factory.mktemp("fuzz")
    settings = Settings(data_dir=data_dir, secret_key="fuzz", pbkdf2_cost=1000, server="http://wiki.test")
    running = Fuzzer(settings)
    try:
        yield running
    finally:
        running.close()


def _check(request: dict[str, Any], response: httpx.Response) -> None:
    where = f"{request['method']} {json.dumps(request['params'])[:300]}"
    assert response.status_code in API_STATUSES, f"{response.status_code} for {where}"
    assert "Traceback" not in response.text, where
    # Every error code of the answer is in this header, whatever the format and errorformat.
    codes = response.headers.get("MediaWiki-API-Error", "")
    assert "internal_api_error" not in codes, f"{codes} for {where}"
    if request["method"] != "HEAD" and response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        assert isinstance(body, dict) and ("error" in body or "errors" in body) == bool(codes), where


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(generated=requests())
def test_every_generated_request_gets_an_api_answer(fuzzer: Fuzzer, generated: dict[str, Any]) -> None:
    _check(generated, fuzzer.run(fuzzer.send(generated)))



def _random_request(rng: random.Random) -> dict[str, Any]:
    """A request like the strategy's, drawn from a seeded generator (see the module's docstring)."""
    spec = rng.choice(SPECS)
    params = {"action": "query", spec.group: spec.name} if spec.group else {"action": spec.name}
    for param in spec.params:
        if rng.random() < 0.5:
            choices = list(param.type) if isinstance(param.type, tuple) else []
            params[spec.prefix + param.name] = rng.choice(choices + HOSTILE_VALUES + [str(rng.randint(-5, 600))])
    params["errorformat"] = rng.choice(ERROR_FORMATS)
    params["format"] = rng.choice(["json", "jsonfm", "none"])
    return {"params": params, "method": rng.choice(["GET", "POST"]), "multipart": rng.random() < 0.3,
            "token": rng.choice([None, "csrf", "login", "bad"]),
            "token_name": (spec.prefix + "token") if spec.token else "token"}


@pytest.mark.skipif("WIKIGATE_FUZZ" not in os.environ, reason="make fuzz only")
def test_memory_stays_flat_over_many_requests(fuzzer: Fuzzer) -> None:
    rng = random.Random(EXAMPLES)
    baseline = 0
    for sent in range(1, EXAMPLES + 1):
        request = _random_request(rng)
        _check(request, fuzzer.run(fuzzer.send(request)))
        if sent == max(EXAMPLES // 10, 1):
            baseline = _rss()
    grown = _rss() - baseline
    print(f"\nfuzz: {EXAMPLES} seeded requests; resident memory after the first tenth {baseline / 2**20:.1f} MiB, "
          f"at the end {_rss() / 2**20:.1f} MiB")
    assert grown < 32 * 2**20, f"memory grew by {grown / 2**20:.0f} MiB over the run"
