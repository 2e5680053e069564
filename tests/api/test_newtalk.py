"""The new-message flag (uiprop=hasmsg) and action=clearhasmsg, as in MediaWiki 1.39."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def has_message(api: Any) -> bool:
    body = (await api.get(action="query", meta="userinfo", uiprop="hasmsg", formatversion="2")).json()
    return bool(body["query"]["userinfo"].get("messages"))


async def test_a_message_from_someone_else_stays_until_cleared(new_api: Any, services: Any) -> None:
    kam = await logged_in(new_api, services, "Kam")
    alice = await logged_in(new_api, services, "Alice")
    assert not await has_message(kam)
    await alice.post(action="edit", title="User talk:Kam", text="Hi, Kam! ~~~~", token=await alice.token())
    assert await has_message(kam) and not await has_message(alice)
    await kam.post(action="edit", title="User talk:Kam", appendtext=" Thanks", token=await kam.token())
    assert await has_message(kam)  # answering is not seeing, as in MediaWiki
    assert (await kam.post(action="clearhasmsg")).json() == {"clearhasmsg": "success"}
    assert not await has_message(kam)
