"""action=move as MediaWiki 1.39 answers it (the conformance set compares the details with the reference wiki)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from tests.helpers import logged_in
from wikigate.store.schema import archive, page, revision


async def post(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.post(token=await api.token(), formatversion="2", **params)).json())


async def get(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.get(formatversion="2", **params)).json())


async def move(api: Any, source: str, target: str, **params: Any) -> dict[str, Any]:
    return await post(api, action="move", **{"from": source, "to": target}, **params)


async def pages(api: Any, *names: str) -> dict[str, dict[str, Any]]:
    body = await get(api, action="query", prop="info|revisions", inprop="protection", rvprop="content|comment",
                     rvslots="main", titles="|".join(names))
    return {page["title"]: page for page in body["query"]["pages"]}


async def test_a_move_keeps_the_page_and_leaves_a_redirect(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await post(alice, action="edit", title="Old name", text="Body")
    page_id = (await pages(alice, "Old name"))["Old name"]["pageid"]
    moved = await move(alice, "Old name", "New name", reason="clearer")
    assert moved == {"move": {"from": "Old name", "to": "New name", "reason": "clearer", "redirectcreated": True,
                              "moveoverredirect": False}}
    found = await pages(alice, "Old name", "New name")
    assert found["New name"]["pageid"] == page_id
    comment = "Alice moved page [[Old name]] to [[New name]]: clearer"
    assert found["New name"]["revisions"][0]["comment"] == comment
    assert found["Old name"]["redirect"] is True
    assert found["Old name"]["revisions"][0]["slots"]["main"]["content"] == "#REDIRECT [[New name]]"
    log = (await get(alice, action="query", list="logevents", letype="move"))["query"]["logevents"]
    assert [(e["title"], e["logpage"], e["params"], e["comment"]) for e in log] == [
        ("Old name", page_id, {"target_ns": 0, "target_title": "New name", "suppressredirect": False}, "clearer")]
    editcount = (await get(alice, action="query", meta="userinfo", uiprop="editcount"))["query"]["userinfo"]
    assert editcount["editcount"] == 3  # the creation, the move's null revision, the redirect


async def test_refused_moves_change_nothing(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    for title in ("Kept", "Taken"):
        await post(alice, action="edit", title=title, text=title)
    await post(mindy, action="protect", title="Kept", protections="move=sysop")
    await post(mindy, action="protect", title="Reserved", protections="create=sysop")
    assert (await move(alice, "Kept", "Elsewhere"))["error"]["code"] == "protectedpage"
    assert (await move(alice, "Taken", "Kept"))["error"]["code"] == "articleexists"
    assert (await move(alice, "Taken", "Taken"))["error"]["code"] == "selfmove"
    assert (await move(alice, "Taken", "Reserved"))["error"]["code"] == "protectedpage"
    assert (await move(alice, "Taken", "Special:Nowhere"))["error"]["code"] == "immobile-target-namespace"
    assert (await move(alice, "Nothing here", "Anywhere"))["error"]["code"] == "missingtitle"
    anonymous = await new_api().post(action="move", **{"from": "Taken", "to": "Gone"}, token="+\\")
    assert anonymous.json()["error"]["code"] == "cantmove-anon"
    found = await pages(alice, "Kept", "Taken", "Elsewhere", "Reserved", "Gone")
    assert [found[t].get("missing", False) for t in ("Kept", "Taken", "Elsewhere", "Reserved", "Gone")] == [
        False, False, True, True, True]
    assert (await get(alice, action="query", list="logevents", letype="move"))["query"]["logevents"] == []


async def test_protection_follows_the_page_and_covers_the_redirect(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, action="edit", title="Guarded", text="x")
    await post(mindy, action="protect", title="Guarded", protections="edit=autoconfirmed|move=sysop")
    await move(mindy, "Guarded", "Still guarded", reason="rsn")
    found = await pages(mindy, "Guarded", "Still guarded")
    levels = [(p["type"], p["level"]) for p in found["Still guarded"]["protection"]]
    assert levels == [("edit", "autoconfirmed"), ("move", "sysop")]
    assert [(p["type"], p["level"]) for p in found["Guarded"]["protection"]] == levels
    log = (await get(mindy, action="query", list="logevents", letype="protect", lelimit="1"))["query"]["logevents"]
    assert (log[0]["action"], log[0]["title"], log[0]["params"], log[0]["comment"]) == (
        "move_prot", "Still guarded", {"oldtitle_ns": 0, "oldtitle_title": "Guarded"},
        "[[Guarded]] moved to [[Still guarded]]: rsn")


async def test_moving_back_over_the_redirect_left_behind(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, action="edit", title="There", text="x")
    await move(mindy, "There", "Back again")
    back = await move(mindy, "Back again", "There")
    assert back["move"]["moveoverredirect"] is True and back["move"]["redirectcreated"] is True
    log = (await get(mindy, action="query", list="logevents", lelimit="2"))["query"]["logevents"]
    assert [(e["type"], e["action"], e["title"]) for e in log] == [
        ("move", "move_redir", "Back again"), ("delete", "delete_redir", "There")]
    await post(mindy, action="edit", title="Pointer", text="#REDIRECT [[Somewhere else]]")
    assert (await move(mindy, "There", "Pointer"))["error"]["code"] == "redirectexists"
    assert (await move(mindy, "Back again", "There"))["error"]["code"] == "articleexists"


async def test_talk_pages_and_subpages_move_along(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    for title in ("Help:Plan", "Help talk:Plan", "Help:Plan/Part", "Help talk:Plan/Notes",
                  "Help talk:Later"):
        await post(alice, action="edit", title=title, text="x")
    moved = await move(alice, "Help:Plan", "Help:Later", movetalk="1", movesubpages="1")
    assert moved["move"]["talkmove-errors"][0]["code"] == "articleexists"
    assert moved["move"]["subpages"] == [{"from": "Help:Plan/Part", "to": "Help:Later/Part"}]
    assert moved["move"]["subpages-talk"] == [{"from": "Help talk:Plan/Notes", "to": "Help talk:Later/Notes"}]
    main = await move(alice, "Help:Later/Part", "Later part", movesubpages="1")
    assert main["move"]["subpages"]["errors"][0]["code"] == "namespace-nosubpages"


async def test_watchers_of_the_old_title_watch_the_new_one(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    await post(mindy, action="edit", title="Watched", text="x", watchlist="watch")
    await move(alice, "Watched", "Renamed", watchlist="nochange")
    body = await get(mindy, action="query", prop="info", inprop="watched", titles="Renamed|Watched")
    assert {p["title"]: p["watched"] for p in body["query"]["pages"]} == {"Renamed": True, "Watched": True}


async def test_concurrent_moves_of_one_page_leave_one_history(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, action="edit", title="Contested", text="x")
    token = await mindy.token()
    answers = await asyncio.gather(*(
        mindy.post(action="move", **{"from": "Contested", "to": f"Winner {n}"}, noredirect="1", token=token)
        for n in range(4)))
    succeeded = [a.json() for a in answers if "move" in a.json()]
    assert len(succeeded) == 1
    assert {a.json()["error"]["code"] for a in answers if "error" in a.json()} == {"missingtitle"}
    log = (await get(mindy, action="query", list="logevents", letype="move"))["query"]["logevents"]
    assert len(log) == 1


async def test_concurrent_edits_moves_and_deletions_keep_every_revision_once(new_api: Any, services: Any,
                                                                            runtime: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, action="edit", title="Busy", text="start")
    token = await mindy.token()
    requests = [mindy.post(action="edit", title="Busy", text=f"edit {n}", token=token) for n in range(4)]
    requests += [mindy.post(action="move", **{"from": "Busy", "to": "Busy moved"}, token=token),
                 mindy.post(action="delete", title="Busy", token=token),
                 mindy.post(action="delete", title="Busy moved", token=token)]
    await asyncio.gather(*requests)
    # Whatever order they ran in, every saved revision is in one place (history or archive), once,
    # and each page's history is one chain of parents ending at its latest revision.

    def read(tx: Any) -> tuple[list[Any], list[Any], list[Any]]:
        return (tx.execute(select(revision.c.id, revision.c.page_id, revision.c.parent_id)).all(),
                tx.execute(select(archive.c.rev_id, archive.c.page_id, archive.c.parent_id)).all(),
                tx.execute(select(page.c.id, page.c.latest)).all())

    live, archived, pages_now = await runtime.database.read(read)
    ids = [row[0] for row in live] + [row[0] for row in archived]
    assert len(ids) == len(set(ids))
    for page_id, latest in pages_now:
        history = {rev_id: parent for rev_id, owner, parent in live if owner == page_id}
        chain, current = [], latest
        while current:
            chain.append(current)
            current = history[current] or 0
        assert sorted(chain) == sorted(history)
