"""Regression guard for the hot paths of the benchmark (tools/bench.py, workloads 1-4).

Counts, never times: database statements and key-value-store round trips per
request. The limits are today's counts; a change that adds a query to one of
these requests must raise a limit here on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event

from wikigate.services.identity import start_login_session
from wikigate.services.sessions import Session


@dataclass(slots=True)
class Tally:
    statements: list[str] = field(default_factory=list)  # outside the key-value store
    kv_statements: int = 0  # run by the database-backed key-value store
    kv_reads: int = 0
    kv_writes: int = 0

    @property
    def kv_round_trips(self) -> int:
        return self.kv_reads + self.kv_writes


class Recorder:
    """Watches the engine and the key-value store of one Services object."""

    def __init__(self, services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tally = Tally()
        self._inside_kv = 0
        self._engine = services.engine.sync_engine
        event.listen(self._engine, "before_cursor_execute", self._on_statement)
        kv = services.kv
        for name, kind in (("get", "read"), ("set", "write"), ("delete", "write"), ("incr", "write")):
            monkeypatch.setattr(kv, name, self._wrap(getattr(kv, name), kind))

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._on_statement)

    def reset(self) -> Tally:
        self.tally = Tally()
        return self.tally

    def _on_statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self._inside_kv:
            self.tally.kv_statements += 1
        else:
            self.tally.statements.append(statement)

    def _wrap(self, method: Any, kind: str) -> Any:
        async def counted(*args: Any, **kwargs: Any) -> Any:
            if kind == "read":
                self.tally.kv_reads += 1
            else:
                self.tally.kv_writes += 1
            self._inside_kv += 1
            try:
                return await method(*args, **kwargs)
            finally:
                self._inside_kv -= 1

        return counted


@pytest.fixture
async def recorder(services: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    watched = Recorder(services, monkeypatch)
    yield watched
    watched.close()


async def logged_in_cookie(services: Any, make_user: Any) -> str:
    """A stored session of a logged-in user, made the way a login makes it."""
    record = await make_user("Reader", "Reader-Password-1234")
    session = Session(id="", cookie_name=services.sessions.cookie_name)
    start_login_session(session, record.id, record.token, remember=False)
    await services.sessions.save(session)
    return session.id


async def test_anonymous_login_token_writes_one_session_and_reads_nothing(api: Any, recorder: Recorder) -> None:
    # Workload 1: a client without cookies, as wrk sends it.
    await api.get(action="query", meta="tokens", type="login")
    api.client.cookies.clear()
    tally = recorder.reset()
    response = await api.get(action="query", meta="tokens", type="login")
    assert response.json()["query"]["tokens"]["logintoken"].endswith("+\\")
    assert tally.statements == []
    assert (tally.kv_reads, tally.kv_writes) == (0, 1)
    assert tally.kv_statements <= 1


async def test_siteinfo_touches_no_storage(api: Any, recorder: Recorder) -> None:
    # Workload 2.
    await api.get(action="query", meta="siteinfo")
    tally = recorder.reset()
    response = await api.get(action="query", meta="siteinfo")
    assert response.json()["query"]["general"]["sitename"] == "Wikigate"
    assert tally.statements == []
    assert tally.kv_round_trips == 0


async def test_logged_in_tokens_and_userinfo_read_the_session_once_and_the_user_once(
    api: Any, services: Any, make_user: Any, recorder: Recorder
) -> None:
    # Workload 3: the session exists and already holds its token secret.
    api.client.cookies.set(services.sessions.cookie_name, await logged_in_cookie(services, make_user))
    await api.get(action="query", meta="tokens|userinfo")
    tally = recorder.reset()
    response = await api.get(action="query", meta="tokens|userinfo")
    query = response.json()["query"]
    assert query["userinfo"]["name"] == "Reader"
    assert query["tokens"]["csrftoken"] != "+\\"
    assert (tally.kv_reads, tally.kv_writes) == (1, 0)
    assert tally.kv_statements <= 1
    assert len(tally.statements) <= 1, tally.statements


async def test_validatepassword_touches_no_storage(api: Any, services: Any, recorder: Recorder) -> None:
    # Workload 4, anonymous, with the mix of passwords the benchmark sends.
    if "validatepassword" not in services.registry.actions:
        pytest.skip("action=validatepassword has not landed yet (issue 4)")
    for password in ("a-much-better-passw0rd!", "password", "abc"):
        await api.post(action="validatepassword", password=password)
        tally = recorder.reset()
        response = await api.post(action="validatepassword", password=password)
        assert "validity" in response.json()["validatepassword"]
        assert tally.statements == []
        assert tally.kv_round_trips == 0
