"""list=recentchanges and action=patrol: edits and log actions listed, patrolled and filtered as in MediaWiki."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def changes(api: Any, **params: Any) -> list[dict[str, Any]]:
    body = (await api.get(action="query", list="recentchanges", formatversion="2", **params)).json()
    return list(body["query"]["recentchanges"])


async def test_edits_and_log_actions_are_listed_newest_first(new_api: Any, services: Any, clock: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await alice.post(action="edit", title="Listed", text="one", token=await alice.token())
    clock.advance(1)
    await alice.post(action="edit", title="Listed", text="two", minor="1", token=await alice.token())
    clock.advance(1)
    await mindy.post(action="protect", title="Listed", protections="edit=sysop", token=await mindy.token())
    found = await changes(mindy, rctitle="Listed", rcprop="title|flags|sizes|patrolled|loginfo|user")
    assert [(c["type"], c["user"], c["minor"], c["patrolled"]) for c in found] == [
        ("log", "Mindy", False, True), ("edit", "Alice", True, False), ("new", "Alice", False, False)]
    assert (found[1]["oldlen"], found[1]["newlen"], found[0]["logtype"], found[0]["logaction"]) == (
        3, 3, "protect", "protect")
    assert [c["type"] for c in await changes(mindy, rctitle="Listed", rcshow="!minor", rctype="edit|new")] == ["new"]
    refused = (await alice.get(action="query", list="recentchanges", rcprop="patrolled")).json()
    assert refused["error"]["code"] == "permissiondenied"


async def test_patrolling_marks_a_change_once(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    saved = (await alice.post(action="edit", title="Checked", text="x", token=await alice.token())).json()
    token = (await mindy.get(action="query", meta="tokens", type="patrol")).json()["query"]["tokens"]["patroltoken"]
    for _ in range(2):
        done = (await mindy.post(action="patrol", revid=str(saved["edit"]["newrevid"]), token=token)).json()
        assert done["patrol"]["title"] == "Checked"
    assert [c["patrolled"] for c in await changes(mindy, rctitle="Checked", rcprop="patrolled")] == [True]
    log = (await mindy.get(action="query", list="logevents", letype="patrol", formatversion="2")).json()
    assert [e["params"]["auto"] for e in log["query"]["logevents"]] == [False]  # the second patrol wrote nothing
    own_token = (await alice.get(action="query", meta="tokens", type="patrol")).json()["query"]["tokens"]["patroltoken"]
    own = (await alice.post(action="patrol", rcid=str(done["patrol"]["rcid"]), token=own_token)).json()
    assert own["error"]["code"] == "permissiondenied"
