"""Findings of the hardening probe (issue 11), each answered as MediaWiki answers or stronger."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import logged_in
from wikigate.services.accounts import AccountError
from wikigate.store import logs, users

ALLOWED = "http://tool.example"


async def _protect(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.post(action="protect", token=await api.token(), **params)).json())


async def test_repeated_values_count_against_the_limit(new_api: Any, services: Any) -> None:
    sysop = await logged_in(new_api, services, "Sysop", groups=("sysop",))
    # A sysop has apihighlimits: 500 values at most, duplicates included.
    many = "|".join(["edit=sysop"] * 501)
    body = await _protect(sysop, title="Main Page", protections=many, expiry="infinite")
    assert body["error"]["code"] == "toomanyvalues"
    expiries = "|".join(["infinite"] * 20_000)
    body = await _protect(sysop, title="Main Page", protections="edit=sysop", expiry=expiries)
    assert body["error"]["code"] == "toomanyvalues"
    assert body["error"]["limit"] == 500


async def test_a_token_with_an_absurd_timestamp_is_a_bad_token(api: Api) -> None:
    await api.token("login")  # the session holds a login-token secret, so the token is parsed
    token = "0" * 32 + "f" * 5000 + "+\\"
    response = await api.post(action="clientlogin", username="Nobody", password="x",
                              loginreturnurl="http://wiki.test/", logintoken=token)
    assert response.status_code == 200
    assert response.json()["error"]["code"] == "badtoken"


async def test_an_origin_header_naming_two_origins_is_never_allowed(api: Api) -> None:
    response = await api.client.get("/w/api.php", params={"action": "query", "meta": "siteinfo", "format": "json",
                                                          "origin": ALLOWED},
                                     headers={"Origin": f"{ALLOWED} http://evil.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["MediaWiki-CORS-Rejection"] == "Origin mismatch"


@pytest.mark.configure(lambda settings: replace(settings, cors_allowed_origins=(ALLOWED,)))
async def test_with_cors_configured_every_answer_varies_by_origin(api: Api) -> None:
    plain = await api.get(action="query", meta="siteinfo")
    assert "Origin" in [part.strip() for part in plain.headers["Vary"].split(",")]
    allowed = await api.client.get("/w/api.php", params={"action": "query", "meta": "siteinfo", "format": "json",
                                                         "origin": ALLOWED}, headers={"Origin": ALLOWED})
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert "MediaWiki-API-Error" in allowed.headers["Access-Control-Expose-Headers"]
    assert "Origin" in allowed.headers["Vary"]


async def test_a_preflight_is_answered_without_running_the_module(api: Api) -> None:
    # As MediaWiki 1.39 answers it: no body, the methods, the requested headers echoed.
    response = await api.client.options(
        "/w/api.php", params={"action": "query", "meta": "siteinfo", "format": "json", "origin": "*"},
        headers={"Origin": "http://a.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "Api-User-Agent"})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["Access-Control-Allow-Methods"] == "POST, GET, HEAD"
    assert response.headers["Access-Control-Allow-Headers"] == "Api-User-Agent"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Credentials"] == "false"
    assert "Access-Control-Expose-Headers" not in response.headers
    odd = await api.client.options(
        "/w/api.php", params={"action": "query", "format": "json", "origin": "*"},
        headers={"Origin": "http://a.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "X-Secret"})
    assert odd.headers["MediaWiki-CORS-Rejection"] == "Unsupported header requested in preflight"
    assert "Access-Control-Allow-Headers" not in odd.headers


async def test_an_account_and_its_log_entry_are_written_together(services: Any, runtime: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from wikigate.services.accounts import Actor

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("power cut between the account and its log entry")

    monkeypatch.setattr(logs, "add_log", crash)
    with pytest.raises(RuntimeError):
        await services.accounts.create("Halfway", "Halfway-password-1", creator=Actor(0, "127.0.0.1"))
    assert await users.find_by_name(runtime.database, "Halfway") is None
    monkeypatch.undo()
    record = await services.accounts.create("Halfway", "Halfway-password-1", creator=Actor(0, "127.0.0.1"))
    assert record.name == "Halfway"
    with pytest.raises(AccountError):
        await services.accounts.create("Halfway", "Halfway-password-1")
