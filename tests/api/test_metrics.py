"""/metrics: what the server counts, in Prometheus' text format, for the clients allowed to read it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

PROXY = "10.1.2.3"
REQUESTS = "wikigate_api_request_duration_seconds_count"  # requests by module and status


async def scrape(app: Any, ip: str = "127.0.0.1", headers: dict[str, str] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(ip, 50002))
    async with httpx.AsyncClient(transport=transport, base_url="http://wiki.test") as http:
        return await http.get("/metrics", headers=headers or {})


async def samples(app: Any) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await scrape(app)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_requests_are_counted_by_module_and_status_with_their_latency(api: Any, app: Any) -> None:
    for _ in range(3):
        await api.get(action="query", meta="siteinfo")
    await api.get(action="nosuchaction")
    await api.post(action="protect", title="X", protections="edit=sysop", token="+\\")
    found = await samples(app)
    assert value(found, REQUESTS, module="query", status="200") == 3
    assert value(found, REQUESTS, module="main", status="200") == 1  # badvalue
    assert value(found, REQUESTS, module="protect", status="200") == 1
    assert value(found, "wikigate_api_request_duration_seconds_bucket", module="query", status="200", le="+Inf") == 3
    assert 0 < value(found, "wikigate_api_request_duration_seconds_sum", module="query", status="200") < 10


@pytest.mark.configure(lambda s: replace(s, max_body_bytes=1000))
async def test_a_refused_body_is_counted_with_its_status(api: Any, app: Any) -> None:
    response = await api.client.post("/w/api.php", content=b"x" * 2000,
                                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    found = await samples(app)
    assert value(found, REQUESTS, module="main", status="413") == 1


async def test_logins_are_counted_by_module_and_result(api: Any, new_api: Any, app: Any, make_user: Any) -> None:
    await make_user("Alice", "Alice-Password-1")
    assert (await api.login("Alice", "wrong password"))["clientlogin"]["status"] == "FAIL"
    assert (await new_api().login("Alice", "Alice-Password-1"))["clientlogin"]["status"] == "PASS"
    bot = new_api()
    token = await bot.token("login")
    answer = (await bot.post(action="login", lgname="Alice", lgpassword="nope", lgtoken=token)).json()
    assert answer["login"]["result"] == "Failed"
    found = await samples(app)
    assert value(found, "wikigate_logins_total", module="clientlogin", result="FAIL") == 1
    assert value(found, "wikigate_logins_total", module="clientlogin", result="PASS") == 1
    assert value(found, "wikigate_logins_total", module="login", result="Failed") == 1


@pytest.mark.configure(lambda s: replace(s, password_attempt_throttle=({"count": 2, "seconds": 300},)))
async def test_throttled_login_attempts_are_counted(api: Any, app: Any, make_user: Any) -> None:
    await make_user("Alice", "Alice-Password-1")
    for _ in range(4):
        await api.login("Alice", "wrong password")
    found = await samples(app)
    assert value(found, "wikigate_throttle_hits_total", throttle="password") == 2


async def test_rate_limited_actions_are_counted(api: Any, app: Any) -> None:
    # mailpassword allows an IP address 5 resets an hour.
    for _ in range(7):
        await api.post(action="resetpassword", user="Nobody", token="+\\")
    found = await samples(app)
    assert value(found, "wikigate_rate_limit_hits_total", action="mailpassword") == 2


async def test_mail_sent_and_queued_is_counted(api: Any, app: Any, runtime: Any, make_user: Any) -> None:
    await make_user("Alice", "Alice-Password-1", email="alice@example.org")
    await api.post(action="resetpassword", user="Alice", token="+\\")
    await runtime.mailer.drain()
    found = await samples(app)
    assert value(found, "wikigate_mail_sent_total") == 1
    assert value(found, "wikigate_mail_queue_length") == 0
    assert value(found, "wikigate_mail_failures_total") == 0


async def test_other_clients_do_not_find_metrics(app: Any, api: Any) -> None:
    assert (await scrape(app, ip="203.0.113.9")).status_code == 404
    # Through a proxy nobody named, the peer's loopback address says nothing about the client.
    assert (await scrape(app, headers={"X-Forwarded-For": "127.0.0.1"})).status_code == 404


@pytest.mark.configure(lambda s: replace(s, metrics_allow=("192.0.2.0/24",), trusted_proxies=(PROXY,)))
async def test_allowed_networks_are_read_through_trusted_proxies(app: Any, api: Any) -> None:
    assert (await scrape(app, ip="192.0.2.44")).status_code == 200
    assert (await scrape(app, ip="127.0.0.1")).status_code == 404
    assert (await scrape(app, ip=PROXY, headers={"X-Forwarded-For": "192.0.2.44"})).status_code == 200
    assert (await scrape(app, ip=PROXY, headers={"X-Forwarded-For": "198.51.100.1"})).status_code == 404


@pytest.mark.configure(lambda s: replace(s, metrics_allow=()))
async def test_metrics_can_be_turned_off(app: Any, api: Any) -> None:
    assert (await scrape(app)).status_code == 404
