"""Two server instances on one database (and optionally one Redis) act as one site.

Each instance has its own engine, pools and key-value client, as two machines
behind a load balancer would; one browser-like client alternates between them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from tests.helpers import REDIS_URL, drop_redis_keys, redis_available
from wikigate.app import build_runtime, create_app
from wikigate.config import Settings


class Switch(httpx.AsyncBaseTransport):
    """Sends each request to whichever instance is selected, like a load balancer."""

    def __init__(self, *transports: httpx.ASGITransport) -> None:
        self.transports = transports
        self.target = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transports[self.target].handle_async_request(request)


class Site:
    def __init__(self, client: httpx.AsyncClient, switch: Switch) -> None:
        self.client = client
        self.switch = switch

    async def on(self, instance: int, method: str = "GET", **params: Any) -> dict[str, Any]:
        self.switch.target = instance
        params = {"format": "json", **params}
        if method == "GET":
            response = await self.client.get("/w/api.php", params=params)
        else:
            response = await self.client.post("/w/api.php", data=params)
        return dict(response.json())

    async def token(self, instance: int, kind: str) -> str:
        body = await self.on(instance, action="query", meta="tokens", type=kind)
        return str(body["query"]["tokens"][f"{kind}token"])

    async def login(self, instance: int, password: str) -> dict[str, Any]:
        token = await self.token(instance, "login")
        return await self.on(instance, "POST", action="clientlogin", username="Alice", password=password,
                             loginreturnurl="http://wiki.test/", logintoken=token)



@pytest.fixture(params=["database", "redis"])
async def site(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Site]:
    if request.param == "redis":
        if not await redis_available():
            if os.environ.get("CI") == "true":
                pytest.fail(f"Redis is not reachable at {REDIS_URL}")
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        settings = replace(settings, redis_url=REDIS_URL, redis_prefix=f"wikigate-test-{secrets.token_hex(4)}:")
    first = await build_runtime(settings)
    second = await build_runtime(settings, migrate=False)
    if first.database.dialect == "postgresql":
        from tests.conftest import _reset_database

        await _reset_database(first)
    await first.services.accounts.create("Alice", "AlicePassword-1234")
    apps = [create_app(settings, runtime=first), create_app(settings, runtime=second)]
    switch = Switch(*(httpx.ASGITransport(app=app, client=("127.0.0.1", 40000)) for app in apps))
    try:
        async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
            async with httpx.AsyncClient(transport=switch, base_url="http://wiki.test") as client:
                yield Site(client, switch)
    finally:
        if settings.redis_url:
            await drop_redis_keys(settings.redis_prefix)
        await first.close()
        await second.close()



async def test_a_login_on_one_instance_holds_on_the_other(site: Site) -> None:
    assert (await site.login(0, "AlicePassword-1234"))["clientlogin"]["status"] == "PASS"
    info = await site.on(1, action="query", meta="userinfo")
    assert info["query"]["userinfo"]["name"] == "Alice"


async def test_tokens_validate_across_instances(site: Site) -> None:
    # A login token from one instance, used for the login on the other.
    token = await site.token(1, "login")
    result = await site.on(0, "POST", action="clientlogin", username="Alice", password="AlicePassword-1234",
                           loginreturnurl="http://wiki.test/", logintoken=token)
    assert result["clientlogin"]["status"] == "PASS"
    csrf = await site.token(0, "csrf")
    assert await site.on(1, "POST", action="logout", token=csrf) == {}
    assert "anon" in (await site.on(0, action="query", meta="userinfo"))["query"]["userinfo"]


async def test_login_throttle_is_counted_once_across_instances(site: Site) -> None:
    for attempt in range(5):
        result = await site.login(attempt % 2, "wrong-password")
        assert result["clientlogin"]["messagecode"] == "wrongpassword", attempt
    for instance in (0, 1):
        result = await site.login(instance, "AlicePassword-1234")
        assert result["clientlogin"]["messagecode"] == "login-throttled"


async def test_rate_limit_is_counted_once_across_instances(site: Site) -> None:
    # Anonymous edits: 8 per minute per address ($wgRateLimits edit/ip).
    for number in range(8):
        body = await site.on(number % 2, "POST", action="edit", title=f"Page {number}", text="x", token="+\\")
        assert body["edit"]["result"] == "Success", body
    for instance in (0, 1):
        body = await site.on(instance, "POST", action="edit", title="One more", text="x", token="+\\")
        assert body["error"]["code"] == "ratelimited"
