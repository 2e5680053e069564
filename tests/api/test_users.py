"""list=allusers and list=users: accounts listed and described as MediaWiki 1.39 lists them."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def test_accounts_listed_by_name_with_their_groups(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    for name in ("Listed one", "Listed two", "Listed three"):
        await logged_in(new_api, services, name)
    body = (await mindy.get(action="query", list="allusers", auprefix="Listed", aulimit="2",
                            auprop="groups", formatversion="2")).json()
    assert [u["name"] for u in body["query"]["allusers"]] == ["Listed one", "Listed three"]
    assert body["continue"]["aufrom"] == "Listed two"
    assert body["query"]["allusers"][0]["groups"] == ["*", "user", "autoconfirmed"]
    sysops = (await mindy.get(action="query", list="allusers", augroup="sysop", formatversion="2")).json()
    assert [u["name"] for u in sysops["query"]["allusers"]] == ["Mindy"]


async def test_users_answered_in_the_order_asked_with_missing_and_invalid_ones(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    body = (await mindy.get(action="query", list="users", ususers="Mindy|Nobody|Bad<", usprop="groups|editcount",
                            formatversion="2")).json()
    users = body["query"]["users"]
    assert users[0] == {"name": "Bad<", "invalid": True}
    assert (users[1]["name"], users[1]["groups"][0]) == ("Mindy", "sysop")
    assert users[2:] == [{"name": "Nobody", "missing": True}]
    by_id = (await mindy.get(action="query", list="users", ususerids="424242", formatversion="2")).json()
    assert by_id["query"]["users"] == [{"userid": 424242, "missing": True}]
    both = (await mindy.get(action="query", list="users", ususers="Mindy", ususerids="1")).json()
    assert both["error"]["code"] == "invalidparammix"
