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


# -- bot-password sessions are checked on every request, as MediaWiki checks them -------------


async def _bot_session(new_api: Any, services: Any, *, ip: str = "10.1.2.3",
                       grants: tuple[str, ...] = ("protect", "editpage")) -> tuple[Any, str]:
    """A client logged in with Admin@tool from `ip`; returns it and its session cookie."""
    if await services.accounts.find("Admin") is None:
        await services.accounts.create("Admin", "AdminPassword-1234", groups=("sysop",))
    _, password = await services.login.create_bot_password("Admin", "tool", grants=list(grants),
                                                           restrictions=["10.0.0.0/8"])
    client = new_api(ip=ip)
    token = await client.token("login")
    answer = (await client.post(action="login", lgname="Admin@tool", lgpassword=password, lgtoken=token)).json()
    assert answer["login"]["result"] == "Success"
    return client, client.client.cookies["wikigate_BPsession"]


async def _name(client: Any) -> str:
    return str((await client.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["name"])


async def test_a_bot_session_only_works_from_its_allowed_addresses(new_api: Any, services: Any) -> None:
    client, cookie = await _bot_session(new_api, services)
    assert await _name(client) == "Admin"
    elsewhere = new_api(ip="192.0.2.7")
    elsewhere.client.cookies.set("wikigate_BPsession", cookie)
    assert await _name(elsewhere) == "192.0.2.7"
    # The session ended there, as MediaWiki ends it: the allowed address cannot take it back.
    assert await _name(client) == "10.1.2.3"


async def test_a_deleted_bot_password_ends_its_sessions(new_api: Any, services: Any) -> None:
    client, _ = await _bot_session(new_api, services)
    assert await services.login.delete_bot_password("Admin", "tool")
    assert await _name(client) == "10.1.2.3"


async def test_a_bot_password_made_anew_does_not_revive_old_sessions(new_api: Any, services: Any) -> None:
    client, _ = await _bot_session(new_api, services, grants=("protect", "editpage"))
    await services.login.delete_bot_password("Admin", "tool")
    await services.login.create_bot_password("Admin", "tool", grants=[], restrictions=["10.0.0.0/8"])
    assert await _name(client) == "10.1.2.3"


async def test_a_bot_session_has_the_grants_as_they_are_now(new_api: Any, services: Any, runtime: Any) -> None:
    from sqlalchemy import update

    from wikigate.store.schema import bot_passwords

    client, _ = await _bot_session(new_api, services, grants=("protect", "editpage"))
    rights = (await client.get(action="query", meta="userinfo", uiprop="rights")).json()["query"]["userinfo"]
    assert "protect" in rights["rights"]
    await runtime.database.write(lambda tx: tx.execute(update(bot_passwords).values(grants=["editpage"])))
    rights = (await client.get(action="query", meta="userinfo", uiprop="rights")).json()["query"]["userinfo"]
    assert rights["name"] == "Admin" and "protect" not in rights["rights"] and "edit" in rights["rights"]


# -- every body is bounded, streamed, whatever its encoding -------------------------------------


@pytest.mark.configure(lambda settings: replace(settings, max_body_bytes=64 * 1024))
async def test_a_chunked_multipart_file_part_cannot_exceed_the_body_cap(api: Api) -> None:
    big = b"x" * (256 * 1024)

    async def chunks() -> Any:
        boundary_head = (b'--B\r\nContent-Disposition: form-data; name="action"\r\n\r\nquery\r\n'
                         b'--B\r\nContent-Disposition: form-data; name="blob"; filename="a.bin"\r\n'
                         b"Content-Type: application/octet-stream\r\n\r\n")
        yield boundary_head
        for start in range(0, len(big), 8192):
            yield big[start:start + 8192]
        yield b"\r\n--B--\r\n"

    response = await api.client.post("/w/api.php", content=chunks(),
                                     headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "toolarge"


@pytest.mark.configure(lambda settings: replace(settings, max_body_bytes=64 * 1024))
async def test_index_php_bounds_its_body_too(api: Api) -> None:
    response = await api.client.post("/w/index.php", content=b"title=Special:RunJobs&x=" + b"y" * (128 * 1024),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    small = await api.client.post("/w/index.php", data={"title": "Special:RunJobs"})
    assert small.json()["reached"] == "none-ready"


async def test_too_many_parameters_are_refused(api: Api) -> None:
    form = "&".join(f"p{number}=1" for number in range(1001))
    response = await api.client.post("/w/api.php", content=form.encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "toomanyparameters"
    files = {f"p{number}": (None, "1") for number in range(1001)}
    response = await api.client.post("/w/api.php", files=files)
    assert response.json()["error"]["code"] == "toomanyparameters"


# -- behind a reverse proxy ---------------------------------------------------------------------

PROXY = "127.0.0.1"  # the address the test clients connect from
behind_proxy = pytest.mark.configure(lambda settings: replace(settings, trusted_proxies=(PROXY,)))


async def _anonymous_name(api: Api, **headers: str) -> str:
    response = await api.client.get("/w/api.php", params={"action": "query", "meta": "userinfo", "format": "json"},
                                    headers=headers)
    return str(response.json()["query"]["userinfo"]["name"])


async def test_forwarding_headers_of_an_untrusted_peer_are_ignored(api: Api) -> None:
    assert await _anonymous_name(api, **{"X-Forwarded-For": "203.0.113.9"}) == PROXY


@behind_proxy
async def test_the_client_is_the_right_most_address_no_trusted_proxy_has(api: Api) -> None:
    assert await _anonymous_name(api, **{"X-Forwarded-For": "203.0.113.9"}) == "203.0.113.9"
    # A client may prepend anything; only what the trusted proxy appended counts.
    assert await _anonymous_name(api, **{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}) == "203.0.113.9"
    assert await _anonymous_name(api, **{"X-Forwarded-For": f"203.0.113.9, {PROXY}"}) == "203.0.113.9"
    assert await _anonymous_name(api, **{"X-Forwarded-For": "not an address"}) == PROXY


@behind_proxy
async def test_behind_a_proxy_wrong_passwords_lock_only_their_client(api: Api, make_user: Any) -> None:
    await make_user("Alice", "AlicePassword-1234")

    async def attempt(client_ip: str, password: str) -> dict[str, Any]:
        token = (await api.client.get("/w/api.php", params={"action": "query", "meta": "tokens", "type": "login",
                                                            "format": "json"},
                                      headers={"X-Forwarded-For": client_ip})).json()["query"]["tokens"]["logintoken"]
        response = await api.client.post("/w/api.php", data={
            "action": "clientlogin", "username": "Alice", "password": password, "loginreturnurl": "http://wiki.test/",
            "logintoken": token, "format": "json"}, headers={"X-Forwarded-For": client_ip})
        return dict(response.json()["clientlogin"])

    for _ in range(6):
        await attempt("203.0.113.9", "wrong")
    assert (await attempt("203.0.113.9", "AlicePassword-1234"))["messagecode"] == "login-throttled"
    api.client.cookies.clear()
    assert (await attempt("198.51.100.4", "AlicePassword-1234"))["status"] == "PASS"


@behind_proxy
async def test_https_told_by_a_trusted_proxy_makes_cookies_secure(api: Api) -> None:
    response = await api.client.get("/w/api.php", params={"action": "query", "meta": "tokens", "type": "login",
                                                          "format": "json"}, headers={"X-Forwarded-Proto": "https"})
    assert "secure" in response.headers["set-cookie"].lower()


async def test_https_told_by_anyone_else_is_not_believed(api: Api) -> None:
    response = await api.client.get("/w/api.php", params={"action": "query", "meta": "tokens", "type": "login",
                                                          "format": "json"}, headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in response.headers["set-cookie"].lower()


@pytest.mark.configure(lambda settings: replace(settings, server="https://wiki.example"))
async def test_an_https_server_address_makes_cookies_secure(api: Api) -> None:
    response = await api.get(action="query", meta="tokens", type="login")
    assert "secure" in response.headers["set-cookie"].lower()


def test_a_bad_trusted_proxy_entry_is_named() -> None:
    from wikigate.api.request import TrustedProxies

    with pytest.raises(ValueError, match="'10.0.0.0/33'"):
        TrustedProxies(("10.0.0.0/8", "10.0.0.0/33"))


# -- a maintenance window -------------------------------------------------------------------------

read_only = pytest.mark.configure(lambda settings: replace(settings, read_only="Moving to new disks"))


@read_only
async def test_in_read_only_mode_every_write_answers_readonly(new_api: Any, services: Any) -> None:
    sysop = await logged_in(new_api, services, "Sysop", groups=("sysop",))
    for action, params in (("edit", {"title": "Page", "text": "x"}),
                           ("protect", {"title": "Main Page", "protections": "edit=sysop"})):
        body = (await sysop.post(action=action, token=await sysop.token(), **params)).json()
        assert body["error"]["code"] == "readonly"
        assert body["error"]["readonlyreason"] == "Moving to new disks"
    # Reading goes on.
    assert "general" in (await sysop.get(action="query", meta="siteinfo")).json()["query"]


@read_only
async def test_siteinfo_says_the_wiki_is_read_only(api: Api) -> None:
    general = (await api.get(action="query", meta="siteinfo", formatversion="2")).json()["query"]["general"]
    assert general["readonly"] is True and general["readonlyreason"] == "Moving to new disks"


# -- failures are answered as the API --------------------------------------------------------------


@pytest.mark.configure(lambda settings: replace(settings, write_timeout=0.3))
async def test_a_stuck_writer_does_not_hold_requests_and_nothing_half_happens(
        new_api: Any, services: Any, runtime: Any) -> None:
    import fcntl
    import time

    from wikigate.store.database import SqliteDatabase

    database = runtime.database
    if not isinstance(database, SqliteDatabase):
        pytest.skip("the writer queue is SQLite's")
    editor = await logged_in(new_api, services, "Editor")
    token = await editor.token()
    with open(f"{database.path}.writer-lock", "a+b") as other_process:
        fcntl.flock(other_process.fileno(), fcntl.LOCK_EX)  # as a writer stuck in another process would
        started = time.monotonic()
        response = await editor.post(action="edit", title="Stuck", text="x", token=token)
        waited = time.monotonic() - started
        fcntl.flock(other_process.fileno(), fcntl.LOCK_UN)
    assert waited < 3
    assert response.status_code == 200
    assert response.json()["error"]["code"] == "internal_api_error_StorageBusy"
    info = (await editor.get(action="query", titles="Stuck", formatversion="2")).json()["query"]["pages"][0]
    assert info.get("missing") is True  # the abandoned edit never ran


async def test_a_failing_session_store_is_answered_as_the_api(api: Api, services: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    async def unreachable(*_: object) -> None:
        raise ConnectionError("session store unreachable")

    monkeypatch.setattr(services.sessions, "save", unreachable)
    response = await api.get(action="query", meta="tokens", type="login")
    assert response.status_code == 200
    assert response.headers["MediaWiki-API-Error"] == "internal_api_error_ConnectionError"
    assert response.json()["error"]["code"] == "internal_api_error_ConnectionError"
    assert "set-cookie" not in response.headers


# -- health ---------------------------------------------------------------------------------------


async def test_healthz_says_the_process_answers(api: Api) -> None:
    response = await api.client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


async def test_readyz_checks_the_database(api: Api, runtime: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"

    async def down(*_: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(runtime.database, "query_one", down)
    not_ready = await api.client.get("/readyz")
    assert not_ready.status_code == 503 and "disk gone" in not_ready.json()["database"]


@pytest.mark.configure(lambda settings: replace(settings, redis_url="redis://127.0.0.1:6379/0",
                                                redis_prefix="wikigate-readyz-test:"))
async def test_readyz_checks_redis_when_configured(api: Api, runtime: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (await api.client.get("/readyz")).json()["redis"] == "ok"

    async def unreachable() -> None:
        raise ConnectionError("no route to cache")

    monkeypatch.setattr(runtime.kv, "check", unreachable)
    response = await api.client.get("/readyz")
    assert response.status_code == 503 and "no route to cache" in response.json()["redis"]
