"""Regression guard for the hot paths of the benchmark (tools/bench.py, workloads 1-4).

Counts, never times: database statements and key-value-store round trips per
request. The limits are today's counts; a change that adds a query to one of
these requests must raise a limit here on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from wikigate.randomness import Randomness
from wikigate.services.identity import start_login_session
from wikigate.services.sessions import Session


@dataclass(slots=True)
class Tally:
    """What one request cost the storage, counted at the `Database` seam and the key-value store."""

    statements: int = 0  # every SQL statement, the key-value store's included
    reads: int = 0  # read units (Database.read, query_one, query_all)
    writes: int = 0  # write units (Database.write): one transaction each
    kv_reads: int = 0
    kv_writes: int = 0


class Recorder:
    """Watches the database and the key-value store of one runtime."""

    def __init__(self, runtime: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self._stats = runtime.database.stats
        self._start = replace(self._stats)
        self._kv = Tally()
        kv = runtime.kv
        for name, kind in (("get", "read"), ("set", "write"), ("delete", "write"), ("incr", "write"),
                           ("incr_many", "write")):
            monkeypatch.setattr(kv, name, self._wrap(getattr(kv, name), kind))

    def reset(self) -> None:
        self._start = replace(self._stats)
        self._kv = Tally()

    @property
    def tally(self) -> Tally:
        now, start = self._stats, self._start
        return Tally(statements=now.statements - start.statements, reads=now.reads - start.reads,
                     writes=now.writes - start.writes, kv_reads=self._kv.kv_reads, kv_writes=self._kv.kv_writes)

    def _wrap(self, method: Any, kind: str) -> Any:
        async def counted(*args: Any, **kwargs: Any) -> Any:
            if kind == "read":
                self._kv.kv_reads += 1
            else:
                self._kv.kv_writes += 1
            return await method(*args, **kwargs)

        return counted


@pytest.fixture
async def recorder(runtime: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    return Recorder(runtime, monkeypatch)


async def logged_in_cookie(services: Any, make_user: Any) -> str:
    """A stored session of a logged-in user, made the way a login makes it."""
    record = await make_user("Reader", "Reader-Password-1234")
    session = Session(id="", random=Randomness(), cookie_name=services.sessions.cookie_name)
    start_login_session(session, record.id, record.token, remember=False)
    await services.sessions.save(session)
    return session.id


async def test_anonymous_login_token_writes_one_session_and_reads_nothing(api: Any, recorder: Recorder) -> None:
    # Workload 1: a client without cookies, as wrk sends it.
    await api.get(action="query", meta="tokens", type="login")
    api.client.cookies.clear()
    recorder.reset()
    response = await api.get(action="query", meta="tokens", type="login")
    assert response.json()["query"]["tokens"]["logintoken"].endswith("+\\")
    tally = recorder.tally
    assert (tally.kv_reads, tally.kv_writes) == (0, 1)
    assert (tally.reads, tally.writes, tally.statements) == (0, 1, 1)


async def test_siteinfo_touches_no_storage(api: Any, recorder: Recorder) -> None:
    # Workload 2.
    await api.get(action="query", meta="siteinfo")
    recorder.reset()
    response = await api.get(action="query", meta="siteinfo")
    assert response.json()["query"]["general"]["sitename"] == "Wikigate"
    assert recorder.tally == Tally()


async def test_logged_in_tokens_and_userinfo_read_the_session_once_and_the_user_once(
    api: Any, services: Any, make_user: Any, recorder: Recorder
) -> None:
    # Workload 3: the session exists and already holds its token secret.
    api.client.cookies.set(services.sessions.cookie_name, await logged_in_cookie(services, make_user))
    await api.get(action="query", meta="tokens|userinfo")
    recorder.reset()
    response = await api.get(action="query", meta="tokens|userinfo")
    query = response.json()["query"]
    assert query["userinfo"]["name"] == "Reader"
    assert query["tokens"]["csrftoken"] != "+\\"
    tally = recorder.tally
    assert (tally.kv_reads, tally.kv_writes) == (1, 0)
    # The session, then the account with its groups: one statement each, nothing written.
    assert (tally.reads, tally.writes, tally.statements) == (2, 0, 2)


async def test_validatepassword_touches_no_storage(api: Any, recorder: Recorder) -> None:
    # Workload 4, anonymous, with the mix of passwords the benchmark sends.
    for password in ("a-much-better-passw0rd!", "password", "abc"):
        await api.post(action="validatepassword", password=password)
        recorder.reset()
        response = await api.post(action="validatepassword", password=password)
        assert "validity" in response.json()["validatepassword"]
        assert recorder.tally == Tally()


async def test_a_login_reads_the_account_once(api: Any, make_user: Any, recorder: Recorder) -> None:
    # Workload 5: clientlogin with a password, no second factor.
    await make_user("Reader", "Reader-Password-1234")
    token = await api.token("login")
    recorder.reset()
    response = await api.post(action="clientlogin", username="reader", password="Reader-Password-1234",
                              loginreturnurl="http://wiki.test/", logintoken=token)
    assert response.json()["clientlogin"]["status"] == "PASS"
    tally = recorder.tally
    # Reads: the session, the account with its groups, its two-factor enrolment.
    assert tally.reads == 3, tally
    # Writes: the throttle's counters (together), clearing them, the rotated session.
    assert (tally.kv_reads, tally.kv_writes) == (1, 4), tally
    assert tally.writes == 3, tally


async def test_a_bot_session_checks_its_bot_password_in_the_same_read(
    new_api: Any, services: Any, recorder: Recorder
) -> None:
    await services.accounts.create("Admin", "AdminPassword-1234")
    _, password = await services.login.create_bot_password("Admin", "tool", grants=["basic"])
    client = new_api()
    token = await client.token("login")
    await client.post(action="login", lgname="Admin@tool", lgpassword=password, lgtoken=token)
    await client.get(action="query", meta="tokens|userinfo")
    recorder.reset()
    response = await client.get(action="query", meta="tokens|userinfo")
    assert response.json()["query"]["userinfo"]["name"] == "Admin"
    tally = recorder.tally
    # The session, then the account with its groups and the bot password: still two reads.
    assert (tally.reads, tally.writes, tally.statements) == (2, 0, 2)
