"""action=watch and list=watchlistraw: a watched page brings its talk page, as in MediaWiki."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def watch(api: Any, **params: Any) -> dict[str, Any]:
    token = (await api.get(action="query", meta="tokens", type="watch")).json()["query"]["tokens"]["watchtoken"]
    return dict((await api.post(action="watch", token=token, formatversion="2", **params)).json())


async def listed(api: Any, **params: Any) -> list[tuple[int, str]]:
    body = (await api.get(action="query", list="watchlistraw", formatversion="2", **params)).json()
    return [(item["ns"], item["title"]) for item in body["watchlistraw"]]


async def test_watching_lists_the_page_and_its_talk_page_until_unwatched(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await alice.post(action="edit", title="Home", text="x", watchlist="nochange", token=await alice.token())
    answer = await watch(alice, titles="Home|Nowhere|Special:Version|Bad<")
    assert answer["watch"] == [
        {"title": "Bad<", "invalidreason": answer["watch"][0]["invalidreason"], "invalid": True},
        {"ns": -1, "title": "Special:Version", "special": True},
        {"title": "Nowhere", "ns": 0, "watched": True, "missing": True},
        {"title": "Home", "ns": 0, "watched": True}]
    assert await listed(alice) == [(0, "Home"), (0, "Nowhere"), (1, "Talk:Home"), (1, "Talk:Nowhere")]
    assert await listed(alice, wrnamespace="1", wrdir="descending") == [(1, "Talk:Nowhere"), (1, "Talk:Home")]
    assert await listed(alice, wrfromtitle="N", wrtotitle="Talk:Ho") == [(0, "Nowhere")]
    first = (await alice.get(action="query", list="watchlistraw", wrlimit="3")).json()
    assert first["continue"]["wrcontinue"] == "1|Nowhere"
    assert await listed(alice, wrcontinue="1|Nowhere") == [(1, "Talk:Nowhere")]
    assert (await watch(alice, titles="Talk:Nowhere", unwatch="1"))["watch"] == [
        {"title": "Talk:Nowhere", "ns": 1, "unwatched": True, "missing": True}]
    assert await listed(alice) == [(0, "Home"), (1, "Talk:Home")]


async def test_the_watchlist_is_for_logged_in_users(new_api: Any) -> None:
    anonymous = new_api()
    refused = (await anonymous.post(action="watch", titles="Main Page", token="+\\")).json()
    assert refused["error"]["code"] == "notloggedin"
    listing = (await anonymous.get(action="query", list="watchlistraw")).json()
    assert listing["error"]["code"] == "notloggedin"
