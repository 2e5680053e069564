"""Operators' logs: one access line per API request, request ids shared with the proxy, nothing secret."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

import pytest

from wikigate.logsetup import JsonFormatter, TextFormatter


def _access(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "wikigate.access"]


async def test_each_request_has_one_access_line_naming_module_status_user_and_request_id(
        api: Any, make_user: Any, caplog: pytest.LogCaptureFixture) -> None:
    await make_user("Alice", "Secret-Pass-123")
    await api.login("Alice", "Secret-Pass-123")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="wikigate.access"):
        response = await api.get(action="query", meta="tokens|userinfo")
        await api.post(action="protect", title="Main Page", protections="edit=sysop", token="bad+\\")
    first, second = _access(caplog)
    assert first.getMessage() == "GET query+tokens|userinfo 200"
    assert (first.user, first.ip, first.request_id) == (  # type: ignore[attr-defined]
        "Alice", "127.0.0.1", response.headers["X-Request-Id"])
    assert isinstance(first.ms, float)  # type: ignore[attr-defined]
    assert second.getMessage() == "POST protect 200"
    assert second.error == "badtoken"  # type: ignore[attr-defined]


async def test_passwords_and_tokens_never_reach_the_log(api: Any, make_user: Any,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    await make_user("Alice", "Secret-Pass-123")
    with caplog.at_level(logging.DEBUG):
        token = await api.token("login")
        await api.post(action="clientlogin", username="Alice", password="Secret-Pass-123",
                       loginreturnurl="http://wiki.test/", logintoken=token)
        await api.post(action="clientlogin", username="Alice", password="Wrong-Pass-456",
                       loginreturnurl="http://wiki.test/", logintoken=token)
    assert len(_access(caplog)) == 3
    formatted = "\n".join(TextFormatter().format(record) + JsonFormatter().format(record)
                          for record in caplog.records)
    for secret in ("Secret-Pass-123", "Wrong-Pass-456", token, token.replace("+\\", "")):
        assert secret not in formatted


@pytest.mark.configure(lambda s: replace(s, access_log=False))
async def test_the_access_log_can_be_turned_off(api: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        await api.get(action="query", meta="siteinfo")
    assert _access(caplog) == []


@pytest.mark.configure(lambda s: replace(s, trusted_proxies=("10.0.0.0/8",)))
async def test_a_trusted_proxys_request_id_is_used_in_the_answer_and_the_log(
        new_api: Any, caplog: pytest.LogCaptureFixture) -> None:
    proxy, stranger = new_api("10.0.0.5"), new_api("192.0.2.7")
    with caplog.at_level(logging.INFO, logger="wikigate.access"):
        through_proxy = await proxy.client.get("/w/api.php", params={"action": "query", "format": "json"},
                                               headers={"X-Request-Id": "nginx-4f2a9c", "X-Forwarded-For": "198.51.100.1"})
        direct = await stranger.client.get("/w/api.php", params={"action": "query", "format": "json"},
                                           headers={"X-Request-Id": "forged-id"})
        odd = await proxy.client.get("/w/api.php", params={"action": "query", "format": "json"},
                                     headers={"X-Request-Id": "has spaces\tand tabs"})
    assert through_proxy.headers["X-Request-Id"] == "nginx-4f2a9c"
    assert direct.headers["X-Request-Id"] != "forged-id"
    assert odd.headers["X-Request-Id"] != "has spaces\tand tabs"
    ids = [(record.request_id, record.ip) for record in _access(caplog)]  # type: ignore[attr-defined]
    assert ids[0] == ("nginx-4f2a9c", "198.51.100.1")
    assert ids[1] == (direct.headers["X-Request-Id"], "192.0.2.7")


@pytest.mark.parametrize("path", ["/w/api.php", "/w/index.php"])
async def test_a_client_that_leaves_mid_body_is_one_log_line_not_a_traceback(
        app: Any, client: Any, path: str, caplog: pytest.LogCaptureFixture) -> None:
    messages = [{"type": "http.request", "body": b"action=query&meta=", "more_body": True},
                {"type": "http.disconnect"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"wiki.test"), (b"content-type", b"application/x-www-form-urlencoded"),
                         (b"content-length", b"500")],
             "client": ("127.0.0.1", 50000), "server": ("wiki.test", 80)}
    with caplog.at_level(logging.DEBUG):
        await app(scope, receive, send)
    records = [record for record in caplog.records if record.name.startswith(("wikigate", "starlette", "uvicorn"))]
    assert [record.getMessage() for record in records] == ["client went away mid-body after 18 bytes"]
    assert records[0].exc_info is None and records[0].levelno == logging.INFO


def test_json_lines_carry_time_level_message_and_fields() -> None:
    record = logging.makeLogRecord({"name": "wikigate.access", "levelno": logging.INFO, "levelname": "INFO",
                                    "msg": "GET %s %d", "args": ("query", 200), "user": "Alice", "ms": 1.5})
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "INFO" and entry["message"] == "GET query 200"
    assert (entry["user"], entry["ms"], entry["logger"]) == ("Alice", 1.5, "wikigate.access")
    assert entry["time"].endswith("Z") and "T" in entry["time"]
    line = TextFormatter().format(record)
    assert line.split(" ", 3)[1:3] == ["INFO", "wikigate.access:"]
    assert line.endswith("GET query 200 user=Alice ms=1.5")
