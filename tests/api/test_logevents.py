"""list=logevents: the protect and rights logs as MediaWiki 1.39 shows them."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def test_protect_entries(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    await mindy.post(action="edit", title="PP test one", text="hello", token=token)
    await mindy.post(action="protect", title="PP test one", protections="edit=autoconfirmed|move=sysop", token=token)
    clock.advance(1)
    await mindy.post(action="protect", title="PP test one", protections="edit=sysop", cascade="1", token=token)
    clock.advance(1)
    await mindy.post(action="protect", title="PP test one", protections="edit=all", token=token)
    await mindy.post(action="protect", title="PP test two", protections="create=autoconfirmed", expiry="2 days",
                     reason="why", token=token)
    body = (await mindy.get(action="query", list="logevents", letype="protect", lelimit="3")).json()
    assert body["continue"] == {"lecontinue": "20260921141320|2", "continue": "-||"}
    entries = body["query"]["logevents"]
    assert entries[0] == {
        "logid": 5, "ns": 0, "title": "PP test two", "pageid": 0, "logpage": 0,
        "params": {"description": "\u200e[create=autoconfirmed] (expires 14:13, 23 September 2026 (UTC))",
                   "details": [{"type": "create", "level": "autoconfirmed", "expiry": "2026-09-23T14:13:22Z"}]},
        "type": "protect", "action": "protect", "user": "Mindy", "timestamp": "2026-09-21T14:13:22Z",
        "comment": "why"}
    assert entries[1]["action"] == "unprotect" and entries[1]["params"] == {} and entries[1]["pageid"] == 1
    assert entries[2]["params"] == {
        "description": "\u200e[edit=sysop] (indefinite)", "cascade": "",
        "details": [{"type": "edit", "level": "sysop", "expiry": "infinite", "cascade": ""}]}
    rest = (await mindy.get(action="query", list="logevents", letype="protect",
                            lecontinue=body["continue"]["lecontinue"])).json()["query"]["logevents"]
    assert [e["logid"] for e in rest] == [2]
    assert rest[0]["params"]["details"][1] == {"type": "move", "level": "sysop", "expiry": "infinite"}


async def test_filters(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    await mindy.post(action="protect", title="A", protections="create=sysop", token=token)
    clock.advance(5)
    await mindy.post(action="protect", title="B", protections="create=sysop", token=token)
    await mindy.post(action="protect", title="B", protections="create=all", token=token)

    async def ids(**params: Any) -> list[int]:
        body = (await mindy.get(action="query", list="logevents", **params)).json()
        return [e["logid"] for e in body["query"]["logevents"]]

    assert await ids(letitle="B") == [3, 2]
    assert await ids(leaction="protect/unprotect") == [3]
    assert await ids(ledir="newer") == [1, 2, 3]
    assert await ids(leuser="Mindy", letype="rights") == []
    assert await ids(leend="2026-09-21T14:13:25Z") == [3, 2]
    assert await ids(lenamespace="1") == []
    props = (await mindy.get(action="query", list="logevents", leprop="ids|userid|parsedcomment|tags",
                             lelimit="1")).json()["query"]["logevents"][0]
    assert props == {"logid": 3, "pageid": 0, "logpage": 0, "userid": 1, "parsedcomment": "", "tags": []}
