"""action=rollback as MediaWiki 1.39 answers it (the conformance set compares the details with the reference wiki)."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def rollback(api: Any, **params: Any) -> dict[str, Any]:
    token = (await api.get(action="query", meta="tokens", type="rollback")).json()["query"]["tokens"]["rollbacktoken"]
    return dict((await api.post(action="rollback", token=token, formatversion="2", **params)).json())


async def edit(api: Any, title: str, text: str) -> int:
    answer = (await api.post(action="edit", title=title, text=text, token=await api.token())).json()
    return int(answer["edit"]["newrevid"])


async def test_the_last_run_of_one_users_edits_is_undone(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    bob = await logged_in(new_api, services, "Bob")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await edit(alice, "Target", "One")
    await edit(bob, "Target", "Two")
    kept = await edit(alice, "Target", "Three")
    await edit(bob, "Target", "Four")
    last = await edit(bob, "Target", "Five")
    done = await rollback(mindy, title="Target", user="Bob")
    assert done["rollback"]["old_revid"] == last and done["rollback"]["last_revid"] == kept
    assert done["rollback"]["summary"] == ("Reverted edits by [[Special:Contributions/Bob|Bob]] "
                                           "([[User talk:Bob|talk]]) to last revision by [[User:Alice|Alice]]")
    body = (await mindy.get(action="query", prop="revisions", titles="Target", rvprop="ids|user|content|flags",
                            rvslots="main", formatversion="2")).json()
    revision = body["query"]["pages"][0]["revisions"][0]
    assert (revision["revid"], revision["user"], revision["slots"]["main"]["content"], revision["minor"]) == (
        done["rollback"]["revid"], "Mindy", "Three", True)
    assert (await rollback(mindy, title="Target", user="Bob"))["error"]["code"] == "alreadyrolled"
    assert (await rollback(alice, title="Target", user="Mindy"))["error"]["code"] == "permissiondenied"
    await edit(alice, "Alone", "Only Alice")
    assert (await rollback(mindy, title="Alone", user="Alice"))["error"]["code"] == "onlyauthor"
