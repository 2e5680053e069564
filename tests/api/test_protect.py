"""action=protect as seed 003 and MediaWiki 1.39 answer it (transcript §g)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from tests.helpers import logged_in

NOW = 1_790_000_000.0  # the clock fixture's time: 2026-09-21T14:13:20Z


async def edit(api: Any, title: str, text: str = "content") -> dict[str, Any]:
    return dict((await api.post(action="edit", title=title, text=text, token=await api.token())).json())


async def protect(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.post(action="protect", token=await api.token(), **params)).json())


@pytest.fixture
async def sysop(new_api: Any, services: Any) -> Any:
    api = await logged_in(new_api, services, "Mindy", ("sysop",))
    assert (await edit(api, "Main Page"))["edit"]["result"] == "Success"
    return api


async def test_seed_example(sysop: Any) -> None:
    body = await protect(sysop, title="Main_Page", protections="edit=autoconfirmed|move=sysop",
                         expiry="infinite", reason="oracle smoke test")
    assert body == {"protect": {"title": "Main Page", "reason": "oracle smoke test", "protections": [
        {"edit": "autoconfirmed", "expiry": "infinite"}, {"move": "sysop", "expiry": "infinite"}]}}


async def test_one_expiry_per_protection(sysop: Any) -> None:
    body = await protect(sysop, title="Main Page", protections="edit=sysop|move=sysop", expiry="1 week|infinite")
    assert body["protect"]["protections"] == [
        {"edit": "sysop", "expiry": "2026-09-28T14:13:20Z"}, {"move": "sysop", "expiry": "infinite"}]


EXPIRY_FORMS = [
    ("infinite", "infinite"), ("indefinite", "infinite"), ("infinity", "infinite"), ("never", "infinite"),
    ("2 months", "2026-11-21T14:13:20Z"), ("1 day", "2026-09-22T14:13:20Z"),
    ("2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z"), ("20300101000000", "2030-01-01T00:00:00Z"),
]


async def test_expiry_forms(sysop: Any) -> None:
    for expiry, shown in EXPIRY_FORMS:
        body = await protect(sysop, title="Main Page", protections="edit=sysop", expiry=expiry)
        assert body["protect"]["protections"] == [{"edit": "sysop", "expiry": shown}], expiry


async def test_by_pageid_and_formatversion_2(sysop: Any) -> None:
    page_id = (await sysop.get(action="query", titles="Main Page", prop="info")).json()["query"]["pages"]
    body = await protect(sysop, pageid=next(iter(page_id)), protections="edit=sysop", cascade="1", formatversion="2")
    assert body["protect"]["cascade"] is True and body["protect"]["title"] == "Main Page"


async def test_cascade_dropped_below_sysop(sysop: Any) -> None:
    body = await protect(sysop, title="Main Page", protections="edit=autoconfirmed", cascade="1")
    assert "cascade" not in body["protect"]


ERRORS = [
    ({"protections": "edit=superuser"}, "protect-invalidlevel"),
    ({"protections": "bogus=sysop"}, "protect-invalidaction"),
    ({"protections": "upload=sysop"}, "protect-invalidaction"),
    ({"protections": "edit=sysop", "expiry": "2001-01-01T00:00:00Z"}, "pastexpiry"),
    ({"protections": "edit=sysop", "expiry": "not a date"}, "invalidexpiry"),
    ({"protections": "edit=sysop", "expiry": "1969-12-31T00:00:00Z"}, "invalidexpiry"),
    ({"protections": "edit=sysop|move=sysop", "expiry": "infinite|infinite|infinite"}, "toofewexpiries"),
    ({"protections": "edit=sysop|move=sysop|upload=sysop", "expiry": "infinite|infinite"}, "toofewexpiries"),
    ({"protections": "create=sysop"}, "create-titleexists"),
    ({"title": "No such page", "protections": "edit=sysop"}, "missingtitle-createonly"),
    ({}, "missingparam"),
    ({"title": None, "protections": "edit=sysop"}, "missingparam"),
    ({"pageid": "1", "protections": "edit=sysop"}, "invalidparammix"),
    ({"title": "Bad[title]", "protections": "edit=sysop"}, "invalidtitle"),
    ({"title": None, "pageid": "999999", "protections": "edit=sysop"}, "nosuchpageid"),
    ({"title": "Special:Foo", "protections": "edit=sysop"}, "pagecannotexist"),
]


async def test_errors_change_nothing(sysop: Any) -> None:
    await protect(sysop, title="Main Page", protections="move=sysop")
    before = await page_info(sysop, "Main Page")
    for params, code in ERRORS:
        sent = {k: v for k, v in {"title": "Main Page", **params}.items() if v is not None}
        body = await protect(sysop, **sent)
        assert body["error"]["code"] == code, params
    assert await page_info(sysop, "Main Page") == before
    events = (await sysop.get(action="query", list="logevents", letype="protect")).json()["query"]["logevents"]
    assert len(events) == 1


async def test_toofewexpiries_text(sysop: Any) -> None:
    body = await protect(sysop, title="Main Page", protections="edit=sysop|move=sysop", expiry="1 day|2 days|3 days")
    assert body["error"]["info"].startswith("3 expiries were given, but 2 are needed")


async def test_token_problems(sysop: Any) -> None:
    missing = (await sysop.post(action="protect", title="Main Page", protections="edit=sysop")).json()
    assert missing["error"]["code"] == "missingparam"
    bad = (await sysop.post(action="protect", title="Main Page", protections="edit=sysop", token="deadbeef+\\")).json()
    assert bad["error"]["code"] == "badtoken"


async def test_plaintext_errorformat(sysop: Any) -> None:
    body = await protect(sysop, title="Main_Page", protections="edit=superuser", errorformat="plaintext",
                         formatversion="2")
    assert body["errors"][0]["code"] == "protect-invalidlevel" and body["errors"][0]["module"] == "protect"
    assert "superuser" in body["errors"][0]["text"]


async def test_permission_denied_for_users_and_anonymous(sysop: Any, new_api: Any, services: Any) -> None:
    await protect(sysop, title="Main Page", protections="edit=autoconfirmed")
    alice = await logged_in(new_api, services, "Alice")
    assert (await protect(alice, title="Main Page", protections="edit=sysop"))["error"]["code"] == "permissiondenied"
    anonymous = new_api()
    response = await anonymous.post(action="protect", title="Main Page", protections="edit=sysop", token="+\\")
    assert response.json()["error"]["code"] == "permissiondenied"
    assert response.headers["mediawiki-api-error"] == "permissiondenied, cantedit"


@pytest.mark.configure(lambda settings: replace(settings, group_permissions={
    **settings.group_permissions, "protector": ["protect", "edit"]}))
async def test_cantedit_when_the_protector_cannot_edit(sysop: Any, new_api: Any, services: Any) -> None:
    await protect(sysop, title="Main Page", protections="edit=sysop")
    api = await logged_in(new_api, services, "Pat", ("protector",))
    response = await api.post(action="protect", title="Main Page", protections="edit=all", token=await api.token())
    assert response.json()["error"]["code"] == "cantedit"


@pytest.mark.configure(lambda settings: replace(settings, group_permissions={
    **settings.group_permissions,
    "sysop": [r for r in settings.group_permissions["sysop"] if r != "editinterface"]}))
async def test_interface_namespace_needs_editinterface(sysop: Any) -> None:
    response = await sysop.post(action="protect", title="MediaWiki:Sidebar", protections="create=sysop",
                                token=await sysop.token())
    assert response.headers["mediawiki-api-error"] == "protectednamespace-interface, cantedit"


@pytest.mark.configure(lambda settings: replace(settings, group_permissions={
    **settings.group_permissions, "protector": ["protect", "edit", "createpage"]}))
async def test_a_level_the_user_lacks_is_invalid(new_api: Any, services: Any) -> None:
    api = await logged_in(new_api, services, "Pat", ("protector",))
    await edit(api, "Some page")
    body = await protect(api, title="Some page", protections="edit=sysop")
    assert body["error"]["code"] == "protect-invalidlevel"


async def test_protection_is_replaced_and_all_lifts(sysop: Any) -> None:
    await protect(sysop, title="Main Page", protections="edit=sysop|move=sysop")
    await protect(sysop, title="Main Page", protections="edit=autoconfirmed")
    info = await page_info(sysop, "Main Page")
    assert info["protection"] == [{"type": "edit", "level": "autoconfirmed", "expiry": "infinity"}]
    body = await protect(sysop, title="Main Page", protections="edit=all")
    assert body["protect"]["protections"] == [{"edit": "", "expiry": "infinite"}]
    assert (await page_info(sysop, "Main Page"))["protection"] == []


async def page_info(api: Any, title: str) -> dict[str, Any]:
    body = (await api.get(action="query", prop="info", inprop="protection", titles=title)).json()
    return dict(next(iter(body["query"]["pages"].values())))


async def test_create_protection_of_a_missing_title(sysop: Any) -> None:
    body = await protect(sysop, title="Oracle protected missing page", protections="create=sysop",
                         reason="oracle smoke test")
    assert body["protect"]["protections"] == [{"create": "sysop", "expiry": "infinite"}]
    info = await page_info(sysop, "Oracle protected missing page")
    assert info["protection"] == [{"type": "create", "level": "sysop", "expiry": "infinity"}]
    assert info["restrictiontypes"] == ["create"]


async def test_log_entries_and_null_revisions(sysop: Any) -> None:
    await protect(sysop, title="Main Page", protections="edit=sysop", cascade="1", reason="why")
    await protect(sysop, title="Main Page", protections="edit=sysop", cascade="1", reason="again")  # no change
    await protect(sysop, title="Main Page", protections="edit=autoconfirmed|move=sysop", expiry="1 day|infinite")
    await protect(sysop, title="Main Page", protections="edit=all|move=all")
    events = (await sysop.get(action="query", list="logevents", letype="protect", formatversion="2")).json()
    entries = events["query"]["logevents"]
    assert [e["action"] for e in entries] == ["unprotect", "modify", "protect"]
    assert entries[0]["params"] == {}
    assert entries[1]["params"] == {
        "description": "\u200e[edit=autoconfirmed] (expires 14:13, 22 September 2026 (UTC))\u200e[move=sysop] (indefinite)",
        "cascade": False,
        "details": [
            {"type": "edit", "level": "autoconfirmed", "expiry": "2026-09-22T14:13:20Z", "cascade": False},
            {"type": "move", "level": "sysop", "expiry": "infinite", "cascade": False}]}
    assert entries[2]["params"]["cascade"] is True and entries[2]["comment"] == "why"
    revisions = (await sysop.get(action="query", prop="revisions", titles="Main Page", rvlimit="10",
                                 rvprop="comment|flags|ids")).json()["query"]["pages"]
    history = next(iter(revisions.values()))["revisions"]
    assert len(history) == 4  # the edit and three protection changes
    assert history[0]["comment"] == 'Lifted the protection of "[[Main Page]]"' and history[0]["minor"] == ""
    assert history[2]["comment"] == 'Protected "[[Main Page]]": why ([edit=sysop] (indefinite)) [cascading]'


async def test_expiry_is_exact(sysop: Any, clock: Any, new_api: Any, services: Any) -> None:
    await protect(sysop, title="Main Page", protections="edit=sysop", expiry="1 hour")
    alice = await logged_in(new_api, services, "Alice")
    clock.advance(3599)
    assert (await edit(alice, "Main Page", "mine"))["error"]["code"] == "protectedpage"
    assert (await page_info(alice, "Main Page"))["protection"] != []
    clock.advance(1)
    assert (await page_info(alice, "Main Page"))["protection"] == []
    assert (await edit(alice, "Main Page", "mine"))["edit"]["result"] == "Success"


async def test_page_protection_scenario(sysop: Any, new_api: Any, services: Any) -> None:
    """MediaWiki's tests/api-testing/action/PageProtection.js."""
    await edit(sysop, "Protected sysop page")
    await edit(sysop, "Protected semi page")
    for title, level in (("Protected sysop page", "sysop"), ("Protected semi page", "autoconfirmed")):
        body = await protect(sysop, title=title, protections=f"edit={level}")
        assert body["protect"]["protections"][0]["edit"] == level
    alice = await logged_in(new_api, services, "Alice")
    anonymous = new_api()
    assert (await edit(sysop, "Protected sysop page", "by sysop"))["edit"]["result"] == "Success"
    assert (await edit(sysop, "Protected semi page", "by sysop"))["edit"]["result"] == "Success"
    assert (await edit(alice, "Protected sysop page", "by alice"))["error"]["code"] == "protectedpage"
    assert (await edit(alice, "Protected semi page", "by alice"))["edit"]["result"] == "Success"
    for title in ("Protected sysop page", "Protected semi page"):
        assert (await edit(anonymous, title, "by anon"))["error"]["code"] == "protectedpage"


async def test_concurrent_protects_keep_one_consistent_state(sysop: Any) -> None:
    token = await sysop.token()
    levels = ["sysop", "autoconfirmed"] * 4
    responses = await asyncio.gather(*(
        sysop.post(action="protect", title="Main Page", protections=f"edit={level}", token=token) for level in levels))
    assert all("protect" in r.json() for r in responses)
    info = await page_info(sysop, "Main Page")
    assert len(info["protection"]) == 1
    events = (await sysop.get(action="query", list="logevents", letype="protect", lelimit="50")).json()
    entries = events["query"]["logevents"]
    # Each logged change moved the level; the newest one is what is in force.
    assert entries[0]["params"]["details"][0]["level"] == info["protection"][0]["level"]
    levels_logged = [e["params"]["details"][0]["level"] for e in reversed(entries)]
    assert all(a != b for a, b in zip(levels_logged, levels_logged[1:]))


class TransactionRecorder:
    """The units of work of the page services (edits and protections), each as the verbs of its statements.

    A regression guard for benchmark workload 6: the advisory lock that only
    PostgreSQL takes is left out, so both backends give the same lists.
    """

    def __init__(self, services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.transactions: list[list[str]] = []
        # Both services share the runtime's database; only their units are recorded, so
        # sessions, tokens and rate limits (which also live in the database) are left out.
        for service in (services.pages, services.protections):
            monkeypatch.setattr(service, "_database", _RecordingDatabase(service._database, self))

    def take(self) -> list[list[str]]:
        taken, self.transactions = self.transactions, []
        return taken


class _RecordingDatabase:
    """A database whose read and write units (read-only ones count too: each is one round of statements)
    are recorded; everything else is the real one's."""

    def __init__(self, real: Any, recorder: TransactionRecorder) -> None:
        self._real = real
        self._recorder = recorder

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    async def read(self, work: Any) -> Any:
        return await self._real.read(self._watched(work))

    async def write(self, work: Any) -> Any:
        return await self._real.write(self._watched(work))

    def _watched(self, work: Any) -> Any:
        verbs: list[str] = []
        self._recorder.transactions.append(verbs)

        def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if "pg_advisory_xact_lock" not in statement:
                verbs.append(statement.split(None, 1)[0].upper())

        def watched(connection: Any) -> Any:
            event.listen(connection, "before_cursor_execute", on_statement)
            try:
                return work(connection)
            finally:
                event.remove(connection, "before_cursor_execute", on_statement)

        return watched


async def test_each_write_is_one_short_transaction(sysop: Any, services: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = TransactionRecorder(services, monkeypatch)
    token = await sysop.token()
    recorder.take()
    # The page with its latest revision, the title's create protection, the cascading protections,
    # the blocks of the editor and their address.
    reads = ["SELECT", "SELECT", "SELECT", "SELECT"]
    body = (await sysop.post(action="edit", title="Fresh", text="new", token=token)).json()
    assert body["edit"]["new"] == ""
    # The checks alone as a read (before the rate limiter), then the checks again and the writes:
    # page, revision, page's latest, edit count, the other watchers' notification, the recent change,
    # the creation's log entry, watchlist.
    assert recorder.take() == [reads, reads + ["INSERT", "INSERT", "UPDATE", "UPDATE", "UPDATE", "INSERT", "INSERT",
                                               "INSERT"]]

    body = (await sysop.post(action="edit", title="Fresh", text="new", token=token)).json()
    assert body["edit"]["nochange"] == ""
    # An unchanged text writes nothing but the watchlist upsert, which leaves a same entry alone.
    assert recorder.take() == [reads, reads + ["INSERT"]]

    body = (await sysop.post(action="protect", title="Fresh", protections="edit=sysop|move=sysop",
                             token=token)).json()
    assert body["protect"]["protections"][0] == {"edit": "sysop", "expiry": "infinite"}
    # Watchlist, null revision, page's latest, the restrictions replaced, the log entry and its recent change.
    assert recorder.take() == [reads + ["INSERT", "INSERT", "UPDATE", "DELETE", "INSERT", "INSERT", "INSERT"]]


async def test_another_users_script_page_needs_an_interface_admin(new_api: Any, services: Any) -> None:
    # As MediaWiki: a user's .js, .css and .json subpages run in their browser.
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    refused = (await mindy.post(action="protect", title="User:Other/common.js", protections="edit=sysop",
                                token=token)).json()
    assert refused["error"]["code"] == "customjsprotected"
    edited = (await mindy.post(action="edit", title="User:Other/vector.css", text="x", token=token)).json()
    assert edited["error"]["code"] == "customcssprotected"
    assert "error" not in (await mindy.post(action="edit", title="User:Mindy/common.js", text="// mine",
                                            token=token)).json()  # one's own, with editmyuserjs
    admin = await logged_in(new_api, services, "Ivy", ("sysop", "interface-admin"))
    admin_token = await admin.token()
    assert "error" not in (await admin.post(action="edit", title="User:Other/common.js", text="// x",
                                            token=admin_token)).json()
    assert "error" not in (await admin.post(action="protect", title="User:Other/common.js",
                                            protections="edit=sysop", token=admin_token)).json()
