"""action=userrights: group changes as the performer may make them, with expiries and the rights log."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def change(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.post(action="userrights", token=await api.token("userrights"), **params)).json())


async def test_bureaucrat_makes_a_sysop_who_can_then_protect(new_api: Any, services: Any) -> None:
    admin = await logged_in(new_api, services, "Admin", ("sysop", "bureaucrat"))
    alice = await logged_in(new_api, services, "Alice")
    body = await change(admin, user="Alice", add="sysop|bot", reason="trusted")
    assert body == {"userrights": {"user": "Alice", "userid": 2, "added": ["sysop", "bot"], "removed": []}}
    token = await alice.token()
    await alice.post(action="edit", title="Page", text="a", token=token)
    protected = (await alice.post(action="protect", title="Page", protections="edit=sysop", token=token)).json()
    assert protected["protect"]["protections"] == [{"edit": "sysop", "expiry": "infinite"}]
    again = await change(admin, user="Alice", add="sysop", remove="bot|interface-admin", formatversion="2")
    assert again == {"userrights": {"user": "Alice", "userid": 2, "added": [], "removed": ["bot"]}}
    log = (await admin.get(action="query", list="logevents", letype="rights", formatversion="2")).json()
    entries = log["query"]["logevents"]
    assert [e["comment"] for e in entries] == ["", "trusted"]
    assert entries[1]["title"] == "User:Alice" and entries[1]["params"] == {
        "oldgroups": [], "newgroups": ["bot", "sysop"], "oldmetadata": [],
        "newmetadata": [{"group": "bot", "expiry": "infinity"}, {"group": "sysop", "expiry": "infinity"}]}


async def test_group_expiry_is_honoured(new_api: Any, services: Any, clock: Any) -> None:
    admin = await logged_in(new_api, services, "Admin", ("bureaucrat",))
    alice = await logged_in(new_api, services, "Alice")
    body = await change(admin, user="Alice", add="sysop|bot", expiry="20 minutes|infinite")
    assert body["userrights"]["added"] == ["sysop", "bot"]

    async def groups() -> list[str]:
        info = (await alice.get(action="query", meta="userinfo", uiprop="groups")).json()["query"]["userinfo"]
        return list(info["groups"])

    assert "sysop" in await groups()
    clock.advance(1199)
    assert "sysop" in await groups()
    clock.advance(1)
    assert "sysop" not in await groups() and "bot" in await groups()
    log = (await admin.get(action="query", list="logevents", letype="rights")).json()["query"]["logevents"]
    assert log[0]["params"]["newmetadata"][1] == {"group": "sysop", "expiry": "2026-09-21T14:33:20Z"}


async def test_expiry_errors(new_api: Any, services: Any) -> None:
    admin = await logged_in(new_api, services, "Admin", ("bureaucrat",))
    await logged_in(new_api, services, "Alice")
    assert (await change(admin, user="Alice", add="bot", expiry="1 week|infinite"))["error"]["code"] == "toofewexpiries"
    assert (await change(admin, user="Alice", add="bot", expiry="2001-01-01"))["error"]["code"] == "pastexpiry"
    assert (await change(admin, user="Alice", add="bot", expiry="garbage"))["error"]["code"] == "invalidexpiry"
    assert (await change(admin, user="NoSuchUserXYZ", add="bot"))["error"]["code"] == "nosuchuser"
    assert (await change(admin, userid="999", add="bot"))["error"]["code"] == "nosuchuserid"
    assert (await change(admin, remove="bot"))["error"]["code"] == "missingparam"
    assert (await change(admin, user="Alice", userid="2", remove="bot"))["error"]["code"] == "invalidparammix"
    bad = await change(admin, user="Alice", add="bot|bogus")
    assert bad["userrights"]["added"] == ["bot"]
    assert bad["warnings"]["userrights"]["*"] == 'Unrecognized value for parameter "add": bogus'
    csrf = await admin.token()
    wrong = (await admin.post(action="userrights", user="Alice", add="bot", token=csrf)).json()
    assert wrong["error"]["code"] == "badtoken"


async def test_groups_the_performer_may_not_change_are_ignored(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await logged_in(new_api, services, "Alice")
    body = await change(mindy, user="Alice", add="bot", remove="sysop")
    assert body == {"userrights": {"user": "Alice", "userid": 2, "added": [], "removed": []}}
    log = (await mindy.get(action="query", list="logevents", letype="rights")).json()["query"]["logevents"]
    assert log == []
    anonymous = new_api()
    response = await anonymous.post(action="userrights", user="Alice", add="bot", token="+\\")
    assert response.json()["userrights"]["added"] == []
