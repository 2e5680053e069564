"""A test server's controls: faults armed through /testing/faults are answered as MediaWiki answers
them, for exactly the requests they apply to; /testing/clock moves the server's time."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import httpx
import pytest

as_test_server = pytest.mark.configure(lambda settings: replace(settings, testing=True))


async def arm(client: httpx.AsyncClient, **fault: Any) -> dict[str, Any]:
    response = await client.post("/testing/faults", json=fault)
    assert response.status_code == 201, response.text
    return dict(response.json()["armed"])


async def test_a_server_that_is_not_a_test_server_refuses_every_control(client: httpx.AsyncClient, api: Any) -> None:
    for method, path in (("POST", "/testing/faults"), ("GET", "/testing/faults"), ("DELETE", "/testing/faults"),
                         ("POST", "/testing/clock"), ("GET", "/testing/clock")):
        response = await client.request(method, path, json={"kind": "maxlag"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "testing-disabled"
    answer = (await api.get(action="query", meta="siteinfo", maxlag=5)).json()
    assert "error" not in answer


@as_test_server
async def test_maxlag_answers_only_requests_that_carry_maxlag_as_many_times_as_armed(
        client: httpx.AsyncClient, api: Any) -> None:
    await arm(client, kind="maxlag", count=2, lag=7)
    assert "error" not in (await api.get(action="query", meta="siteinfo")).json()  # no maxlag: not used up
    for _ in range(2):
        response = await api.get(action="query", meta="siteinfo", maxlag=5)
        error = response.json()["error"]
        assert (error["code"], error["lag"], error["type"]) == ("maxlag", 7, "db")
        assert error["info"] == "Waiting for a database server: 7 seconds lagged."
        assert response.headers["Retry-After"] == "5"
        assert response.headers["X-Database-Lag"] == "7"
        assert response.headers["MediaWiki-API-Error"] == "maxlag"
    assert "error" not in (await api.get(action="query", meta="siteinfo", maxlag=5)).json()
    listing = (await client.get("/testing/faults")).json()["armed"]
    assert [(fault["kind"], fault["remaining"]) for fault in listing] == [("maxlag", 0)]


@as_test_server
async def test_an_armed_lag_below_the_clients_maxlag_still_refuses(client: httpx.AsyncClient, api: Any) -> None:
    await arm(client, kind="maxlag", lag=1)
    error = (await api.get(action="query", meta="siteinfo", maxlag=5)).json()["error"]
    assert (error["code"], error["lag"]) == ("maxlag", 6)


@as_test_server
async def test_readonly_and_ratelimited_meet_only_writes(client: httpx.AsyncClient, api: Any, make_user: Any) -> None:
    await make_user("Writer", "writer-password-1")
    await api.login("Writer", "writer-password-1")
    await arm(client, kind="readonly", reason="Moving to new hardware")
    await arm(client, kind="ratelimited")
    token = await api.token()  # a read: neither is used up
    first = (await api.post(action="edit", title="Sandbox", text="one", token=token)).json()["error"]
    assert (first["code"], first["readonlyreason"]) == ("readonly", "Moving to new hardware")
    second = (await api.post(action="edit", title="Sandbox", text="two", token=token)).json()["error"]
    assert second["code"] == "ratelimited"
    assert second["info"] == "You've exceeded your rate limit. Please wait some time and try again."
    assert (await api.post(action="edit", title="Sandbox", text="three", token=token)).json()["edit"]["result"] \
        == "Success"


@as_test_server
async def test_a_lost_session_leaves_the_client_logged_out_and_its_token_bad(
        client: httpx.AsyncClient, api: Any, make_user: Any) -> None:
    await make_user("Forgetful", "forgetful-password-1")
    await api.login("Forgetful", "forgetful-password-1")
    token = await api.token()
    await arm(client, kind="lost-session")
    lost = (await api.get(action="query", meta="userinfo", **{"assert": "user"})).json()
    assert lost["error"]["code"] == "assertuserfailed"
    assert (await api.post(action="watch", title="Anything", token=token)).json()["error"]["code"] == "badtoken"


@as_test_server
async def test_a_fault_for_one_user_spares_everyone_else(
        client: httpx.AsyncClient, api: Any, new_api: Any, make_user: Any) -> None:
    await make_user("Target", "target-password-1")
    await arm(client, kind="maxlag", user="target")  # as a client would type the name
    bystander = new_api()
    assert "error" not in (await bystander.get(action="query", meta="siteinfo", maxlag=5)).json()
    await api.login("Target", "target-password-1")
    assert (await api.get(action="query", meta="siteinfo", maxlag=5)).json()["error"]["code"] == "maxlag"


@as_test_server
async def test_a_fault_for_one_session_spares_other_sessions(
        client: httpx.AsyncClient, api: Any, new_api: Any, make_user: Any) -> None:
    await make_user("Twice", "twice-password-1")
    await api.login("Twice", "twice-password-1")
    other = new_api()
    await other.login("Twice", "twice-password-1")
    session = next(value for name, value in api.client.cookies.items() if name.endswith("_session"))
    await arm(client, kind="internal-error", session=session)
    assert "error" not in (await other.get(action="query", meta="userinfo")).json()
    response = await api.get(action="query", meta="userinfo")
    error = response.json()["error"]
    assert (error["code"], error["errorclass"]) == ("internal_api_error_DBQueryError", "DBQueryError")
    assert response.headers["MediaWiki-API-Error"] == "internal_api_error_DBQueryError"


@as_test_server
async def test_an_internal_error_names_the_class_it_was_armed_with(client: httpx.AsyncClient, api: Any) -> None:
    await arm(client, kind="internal-error", exception="DBConnectionError")
    error = (await api.get(action="query", meta="siteinfo")).json()["error"]
    assert error["code"] == "internal_api_error_DBConnectionError"
    assert error["info"].endswith("Caught exception of type DBConnectionError.")


@as_test_server
async def test_a_delay_holds_the_answer_back(client: httpx.AsyncClient, api: Any) -> None:
    await arm(client, kind="delay", seconds=0.3)
    started = time.monotonic()
    assert "error" not in (await api.get(action="query", meta="siteinfo")).json()
    assert time.monotonic() - started >= 0.3


@as_test_server
async def test_disarming_ends_every_fault(client: httpx.AsyncClient, api: Any) -> None:
    await arm(client, kind="maxlag", count=5)
    assert (await client.delete("/testing/faults")).json() == {"armed": []}
    assert "error" not in (await api.get(action="query", meta="siteinfo", maxlag=5)).json()


@as_test_server
@pytest.mark.parametrize(("fault", "problem"), [
    ({"kind": "flood"}, "kind must be one of"),
    ({"kind": "maxlag", "count": 0}, "count must be"),
    ({"kind": "maxlag", "count": True}, "count must be"),
    ({"kind": "maxlag", "user": "Nobody here"}, "user must name an existing account"),
    ({"kind": "delay", "seconds": 600}, "seconds must be from 0 to 60"),
    ({"kind": "maxlag", "lag": -1}, "lag must be"),
    ({"kind": "internal-error", "exception": "No such; class"}, "exception must be a class name"),
    ([1, 2], "must be a JSON object"),
])
async def test_a_fault_that_cannot_be_armed_is_refused_in_words(client: httpx.AsyncClient, fault: Any,
                                                                problem: str) -> None:
    response = await client.post("/testing/faults", json=fault)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "badfault"
    assert problem in response.json()["error"]["info"]
    assert (await client.get("/testing/faults")).json()["armed"] == []


@as_test_server
async def test_the_clock_moves_forward_and_back_without_sleeping(client: httpx.AsyncClient, api: Any,
                                                                 clock: Any) -> None:
    start = clock.now()
    moved = (await client.post("/testing/clock", json={"advance": 86400})).json()["now"]
    assert moved == start + 86400
    answer = (await api.get(action="query", meta="siteinfo", curtimestamp=1)).json()
    assert answer["curtimestamp"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 86400))
    assert (await client.post("/testing/clock", json={"set": 2_000_000_000})).json()["now"] == 2_000_000_000
    assert (await client.post("/testing/clock", json={"reset": True})).json()["now"] == start
    bad = await client.post("/testing/clock", json={"advance": "soon"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "badclock")


@as_test_server
async def test_a_protection_expires_when_the_clock_passes_it(client: httpx.AsyncClient, api: Any,
                                                             make_user: Any) -> None:
    await make_user("Guard", "guard-password-1", groups=("sysop",))
    await api.login("Guard", "guard-password-1")
    token = await api.token()
    await api.post(action="edit", title="Guarded", text="x", token=token)
    protected = (await api.post(action="protect", title="Guarded", protections="edit=sysop", expiry="1 hour",
                                token=token)).json()
    assert protected["protect"]["protections"] == [{"edit": "sysop", "expiry": protected["protect"]["protections"][0][
        "expiry"]}]
    await client.post("/testing/clock", json={"advance": 7200})
    info = (await api.get(action="query", prop="info", inprop="protection", titles="Guarded")).json()
    assert next(iter(info["query"]["pages"].values()))["protection"] == []


@as_test_server
async def test_a_clock_moved_by_another_process_is_seen_on_the_next_request(api: Any, runtime: Any,
                                                                            clock: Any) -> None:
    # What POST /testing/clock leaves in the shared store when another process of the server answers it.
    await runtime.kv.set("testing:state", json.dumps({"offset": 86400.0, "faults": []}), 3600)
    answer = (await api.get(action="query", meta="siteinfo", curtimestamp=1)).json()
    assert answer["curtimestamp"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(clock.now() + 86400))


@as_test_server
async def test_forgetting_throttles_lets_a_throttled_account_log_in_at_once(
        client: httpx.AsyncClient, api: Any, make_user: Any) -> None:
    await make_user("Fumbler", "fumbler-password-1")
    for _ in range(5):
        assert (await api.login("Fumbler", "not-it"))["clientlogin"]["messagecode"] == "wrongpassword"
    assert (await api.login("Fumbler", "fumbler-password-1"))["clientlogin"]["messagecode"] == "login-throttled"
    forgotten = await client.delete("/testing/throttles", params={"user": "fumbler"})  # as a client types it
    assert forgotten.status_code == 200 and forgotten.json()["cleared"] >= 1
    assert (await api.login("Fumbler", "fumbler-password-1"))["clientlogin"]["status"] == "PASS"
    bad = await client.delete("/testing/throttles", params={"ip": "not-an-address"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "badip")
