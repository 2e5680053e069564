"""Blocks as MediaWiki 1.39 places, enforces and lifts them (the conformance set compares the wire details)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.helpers import logged_in, sign_in


async def post(api: Any, action: str, **params: Any) -> dict[str, Any]:
    return dict((await api.post(action=action, token=await api.token(), formatversion="2", **params)).json())


async def edit(api: Any, title: str, text: str) -> dict[str, Any]:
    return await post(api, "edit", title=title, text=text)


async def blocks(api: Any, **params: Any) -> list[dict[str, Any]]:
    body = (await api.get(action="query", list="blocks", formatversion="2", **params)).json()
    return list(body["query"]["blocks"])


async def test_a_blocked_user_cannot_edit_until_unblocked(new_api: Any, services: Any) -> None:
    eve = await logged_in(new_api, services, "Eve")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    assert "edit" in await edit(eve, "Block page", "One")
    placed = (await post(mindy, "block", user="Eve", reason="testing"))["block"]
    eve_id = (await services.accounts.find("Eve")).id
    assert (placed["user"], placed["userID"], placed["expiry"], placed["reason"]) == ("Eve", eve_id, "infinite",
                                                                                      "testing")
    refused = (await edit(eve, "Block page", "Two"))["error"]
    assert refused["code"] == "blocked"
    info = refused["blockinfo"]
    assert (info["blockid"], info["blockedby"], info["blockreason"], info["blockexpiry"], info["blockpartial"]) == (
        placed["id"], "Mindy", "testing", "infinite", False)
    lifted = (await post(mindy, "unblock", user="Eve", reason="done"))["unblock"]
    assert lifted == {"id": placed["id"], "user": "Eve", "userid": eve_id, "reason": "done"}
    assert "edit" in await edit(eve, "Block page", "Three")


async def test_a_block_ends_exactly_at_its_expiry(new_api: Any, services: Any, clock: Any) -> None:
    eve = await logged_in(new_api, services, "Eve")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    placed = (await post(mindy, "block", user="Eve", expiry="10 minutes"))["block"]
    clock.advance(10 * 60 - 1)
    assert (await edit(eve, "Timed", "One"))["error"]["code"] == "blocked"
    info = (await eve.get(action="query", meta="userinfo", uiprop="blockinfo", formatversion="2")).json()
    assert info["query"]["userinfo"]["blockid"] == placed["id"]
    clock.advance(1)
    assert "edit" in await edit(eve, "Timed", "Two")
    assert await blocks(mindy) == []
    # An expired block is no block: the same target can be blocked anew.
    assert "block" in await post(mindy, "block", user="Eve", expiry="1 day")


async def test_blocking_twice_needs_reblock_which_keeps_the_id(new_api: Any, services: Any) -> None:
    await services.accounts.create("Eve", None)
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    first = (await post(mindy, "block", user="Eve", reason="one"))["block"]
    assert (await post(mindy, "block", user="Eve", reason="two"))["error"]["code"] == "alreadyblocked"
    assert (await post(mindy, "block", user="Eve", reason="one", reblock="1"))["error"]["code"] == "alreadyblocked"
    again = (await post(mindy, "block", user="Eve", reason="two", reblock="1", nocreate="1"))["block"]
    assert again["id"] == first["id"]
    [listed] = await blocks(mindy, bkprop="id|reason|flags")
    assert (listed["id"], listed["reason"], listed["nocreate"]) == (first["id"], "two", True)
    log = (await mindy.get(action="query", list="logevents", letype="block", formatversion="2")).json()
    actions = [(entry["action"], entry["title"], entry["params"].get("flags")) for entry in log["query"]["logevents"]]
    assert actions == [("reblock", "User:Eve", ["nocreate", "noautoblock", "nousertalk"]),
                       ("block", "User:Eve", ["noautoblock", "nousertalk"])]


async def test_refusals_name_what_is_wrong(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    assert (await post(alice, "block", user="Mindy"))["error"]["code"] == "permissiondenied"
    assert (await post(alice, "unblock", user="Mindy"))["error"]["code"] == "permissiondenied"
    cases = {
        "nosuchuser": {"user": "Nobody here"},
        "ip_range_toolarge": {"user": "10.0.0.0/8"},
        "invalidexpiry": {"user": "Alice", "expiry": "whenever"},
        "ipb_expiry_old": {"user": "Alice", "expiry": "2001-01-01T00:00:00Z"},
        "ipb-prevent-user-talk-edit": {"user": "Alice", "partial": "1", "namespacerestrictions": "0"},
        "missingtitle": {"user": "Alice", "partial": "1", "pagerestrictions": "No such page"},
        "ipb-empty-block": {"user": "Alice", "partial": "1", "allowusertalk": "1"},
        "permissiondenied": {"user": "Alice", "hidename": "1"},
    }
    for code, params in cases.items():
        assert (await post(mindy, "block", **params))["error"]["code"] == code, params
    assert (await post(mindy, "unblock", user="Alice"))["error"]["code"] == "cantunblock"
    assert (await post(mindy, "unblock", id="999"))["error"]["code"] == "cantunblock"
    assert await blocks(mindy) == []


async def test_a_partial_block_stops_only_the_pages_and_namespaces_it_names(new_api: Any, services: Any) -> None:
    eve = await logged_in(new_api, services, "Eve")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await edit(mindy, "Guarded", "text")
    placed = (await post(mindy, "block", user="Eve", partial="1", pagerestrictions="Guarded",
                         namespacerestrictions="10", allowusertalk="1", expiry="1 week"))["block"]
    assert (placed["partial"], placed["pagerestrictions"], placed["namespacerestrictions"]) == (
        True, ["Guarded"], [10])
    refused = (await edit(eve, "Guarded", "mine"))["error"]
    assert (refused["code"], refused["blockinfo"]["blockpartial"]) == ("blocked", True)
    assert refused["info"] == "You are blocked from editing this page."
    assert (await edit(eve, "Template:Anything", "x"))["error"]["code"] == "blocked"
    assert "edit" in await edit(eve, "Free page", "mine")
    assert "edit" in await edit(eve, "User talk:Eve", "my own talk page")
    [listed] = await blocks(mindy, bkprop="id|restrictions|flags")
    page_id = (await mindy.get(action="query", titles="Guarded", formatversion="2")).json()["query"]["pages"][0]
    assert listed["restrictions"] == {"pages": [{"id": page_id["pageid"], "ns": 0, "title": "Guarded"}],
                                      "namespaces": [10]}


async def test_own_talk_page_follows_allowusertalk(new_api: Any, services: Any) -> None:
    eve = await logged_in(new_api, services, "Eve")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, "block", user="Eve", allowusertalk="1")
    assert "edit" in await edit(eve, "User talk:Eve", "appeal")
    assert (await edit(eve, "User talk:Mindy", "hi"))["error"]["code"] == "blocked"
    await post(mindy, "block", user="Eve", reblock="1")
    assert (await edit(eve, "User talk:Eve", "appeal"))["error"]["code"] == "blocked"


async def test_ip_and_range_blocks_stop_anonymous_and_hard_blocks_stop_accounts(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    anonymous = new_api("192.0.2.77")
    record = await services.accounts.create("Carol", None)
    carol = new_api("192.0.2.77")
    await sign_in(services, carol, record)
    soft = (await post(mindy, "block", user="192.0.2.0/24", anononly="1"))["block"]
    assert soft["user"] == "192.0.2.0/24" and soft["userID"] == 0
    assert (await edit(anonymous, "Open", "x"))["error"]["code"] == "blocked"
    assert "edit" in await edit(carol, "Open", "logged in")
    hard = (await post(mindy, "block", user="192.0.2.77"))["block"]
    refused = (await edit(carol, "Open", "again"))["error"]
    assert (refused["code"], refused["blockinfo"]["blockid"]) == ("blocked", hard["id"])
    # Two blocks of the anonymous user's address: one composite block without an id.
    composite = (await edit(anonymous, "Open", "y"))["error"]["blockinfo"]
    assert composite["blockid"] is None and composite["blockedby"] == ""
    assert "edit" in await edit(new_api("192.0.3.1"), "Open", "elsewhere")
    # Sysops are exempt from blocks of addresses (ipblock-exempt).
    sysop = new_api("192.0.2.77")
    await sign_in(services, sysop, await services.accounts.find("Mindy"))
    assert "edit" in await edit(sysop, "Open", "exempt")
    assert [b["id"] for b in await blocks(mindy, bkip="192.0.2.77")] == [hard["id"], soft["id"]]
    assert [b["id"] for b in await blocks(mindy, bkip="192.0.2.0/24")] == [soft["id"]]
    assert [b["id"] for b in await blocks(mindy, bkshow="range")] == [soft["id"]]
    assert [b["id"] for b in await blocks(mindy, bkshow="ip")] == [hard["id"]]
    too_wide = (await mindy.get(action="query", list="blocks", bkip="10.0.0.0/8")).json()["error"]
    assert too_wide["code"] == "cidrtoobroad"


async def test_autoblocks_follow_a_blocked_user_to_their_addresses(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    record = await services.accounts.create("Eve", None)
    eve_home = new_api("198.51.100.7")
    await sign_in(services, eve_home, record)
    await edit(eve_home, "Somewhere", "from home")
    parent = (await post(mindy, "block", user="Eve", autoblock="1", expiry="1 week"))["block"]
    # The address of her last edit is blocked at once, for anyone there.
    refused = (await edit(new_api("198.51.100.7"), "Somewhere", "neighbour"))["error"]
    assert refused["code"] == "autoblocked"
    # Trying to edit from elsewhere blocks that address too.
    eve_cafe = new_api("203.0.113.9")
    await sign_in(services, eve_cafe, record)
    assert (await edit(eve_cafe, "Somewhere", "cafe"))["error"]["code"] == "blocked"
    assert (await edit(new_api("203.0.113.9"), "Somewhere", "other"))["error"]["code"] == "autoblocked"
    listed = await blocks(mindy, bkprop="id|user|flags|range")
    autos = [b for b in listed if b["automatic"]]
    assert len(autos) == 2 and all("user" not in b and "rangestart" not in b for b in autos)
    # Lifting the block lifts the autoblocks it spread.
    await post(mindy, "unblock", id=str(parent["id"]))
    assert await blocks(mindy) == []
    assert "edit" in await edit(new_api("203.0.113.9"), "Somewhere", "free again")


async def test_a_blocked_admin_may_only_lift_their_own_block_with_unblockself(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    admin = await logged_in(new_api, services, "Admin", ("sysop",))
    await services.accounts.create("Vandal", None)
    await post(admin, "block", user="Mindy")
    assert (await post(mindy, "block", user="Vandal"))["error"]["code"] == "ipbblocked"
    # The one who blocked her may be blocked back.
    assert "block" in await post(mindy, "block", user="Admin", expiry="1 minute")
    refused = await post(admin, "block", user="Vandal")
    assert refused["error"]["code"] == "ipbblocked"
    # Sysops have unblockself.
    assert "unblock" in await post(mindy, "unblock", user="Mindy")


async def test_userinfo_and_users_describe_the_block(new_api: Any, services: Any) -> None:
    eve = await logged_in(new_api, services, "Eve")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    placed = (await post(mindy, "block", user="Eve", reason="spam", nocreate="1", expiry="3 days"))["block"]
    info = (await eve.get(action="query", meta="userinfo", uiprop="blockinfo")).json()["query"]["userinfo"]
    assert (info["blockid"], info["blockreason"], info["blocknocreate"], info["blockexpiry"]) == (
        placed["id"], "spam", "", placed["expiry"])
    assert "blockpartial" not in info and info["blockexpiryformatted"] == info["blockexpiryrelative"]
    users = (await mindy.get(action="query", list="users", ususers="Eve|Mindy", usprop="blockinfo",
                             formatversion="2")).json()["query"]["users"]
    assert users[0]["blockid"] == placed["id"] and "blockid" not in users[1]
    french = (await eve.get(action="query", meta="userinfo", uiprop="blockinfo", uselang="fr")).json()
    assert " à " in french["query"]["userinfo"]["blockedtimestampformatted"]


async def test_a_blocked_user_cannot_move_delete_or_protect(new_api: Any, services: Any) -> None:
    admin = await logged_in(new_api, services, "Admin", ("sysop",))
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await edit(mindy, "Kept", "text")
    await post(admin, "block", user="Mindy")
    assert (await post(mindy, "move", **{"from": "Kept", "to": "Elsewhere"}))["error"]["code"] == "blocked"
    assert (await post(mindy, "delete", title="Kept"))["error"]["code"] == "blocked"
    assert (await post(mindy, "protect", title="Kept", protections="edit=sysop"))["error"]["code"] == "cantedit"
    # Watching and preferences stay open to blocked users, as in MediaWiki.
    watch = await mindy.post(action="watch", titles="Kept", token=await mindy.token("watch"), formatversion="2")
    assert "watch" in watch.json()


async def test_nocreate_stops_account_creation_and_password_reset_mail(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, "block", user="192.0.2.50", nocreate="1")
    anonymous = new_api("192.0.2.50")
    token = await anonymous.token("createaccount")
    created = (await anonymous.post(action="createaccount", createtoken=token, username="Newcomer",
                                    password="NewcomerPassword-1234", retype="NewcomerPassword-1234",
                                    createreturnurl="http://wiki.test/")).json()["createaccount"]
    assert (created["status"], created["messagecode"]) == ("FAIL", "blocked")
    assert "192.0.2.50" in created["message"]
    reset = await post(anonymous, "resetpassword", user="Mindy")
    assert reset["error"]["code"] == "blocked-mailpassword"
    # Without nocreate, both stay open.
    await post(mindy, "block", user="192.0.2.50", reblock="1")
    assert (await post(anonymous, "resetpassword", user="Mindy")) == {"resetpassword": {"status": "success"}}


async def test_sitewide_blocks_refuse_undelete_first_and_userrights_for_partial_changers(new_api: Any,
                                                                                         services: Any) -> None:
    admin = await logged_in(new_api, services, "Admin", ("sysop",))
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(admin, "block", user="Mindy", reason="pause")
    # Even a title that does not parse is not looked at: the block is told first.
    refused = await post(mindy, "undelete", title="Bad[title")
    assert (refused["error"]["code"], refused["error"]["blockinfo"]["blockreason"]) == ("blocked", "pause")
    # A sysop may change some groups only; blocked, none.
    rights = await mindy.post(action="userrights", user="Admin", add="bot", token=await mindy.token("userrights"))
    assert rights.json()["error"]["code"] == "blocked"


@pytest.mark.configure(lambda settings: replace(settings, block_disables_login=True))
async def test_where_blocks_disable_logins_a_block_ends_sessions_and_refuses_login(
        new_api: Any, services: Any, make_user: Any) -> None:
    await make_user("Eve", "EvePassword-12345")
    eve = new_api()
    token = await eve.token("login")
    passed = (await eve.post(action="clientlogin", username="Eve", password="EvePassword-12345",
                             loginreturnurl="http://wiki.test/", logintoken=token)).json()["clientlogin"]
    assert passed["status"] == "PASS"
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, "block", user="Eve")
    info = (await eve.get(action="query", meta="userinfo")).json()["query"]["userinfo"]
    assert info["id"] == 0
    again = new_api()
    token = await again.token("login")
    failed = (await again.post(action="clientlogin", username="Eve", password="EvePassword-12345",
                               loginreturnurl="http://wiki.test/", logintoken=token)).json()["clientlogin"]
    assert (failed["status"], failed["messagecode"]) == ("FAIL", "login-userblocked")


async def test_without_that_setting_a_blocked_user_still_logs_in(new_api: Any, services: Any,
                                                                make_user: Any) -> None:
    await make_user("Eve", "EvePassword-12345")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, "block", user="Eve")
    eve = new_api()
    token = await eve.token("login")
    passed = (await eve.post(action="clientlogin", username="Eve", password="EvePassword-12345",
                             loginreturnurl="http://wiki.test/", logintoken=token)).json()["clientlogin"]
    assert passed["status"] == "PASS"


async def test_an_autoblocked_account_that_logs_in_autoblocks_where_it_comes_from(new_api: Any, services: Any,
                                                                                 make_user: Any) -> None:
    await make_user("Eve", "EvePassword-12345")
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, "block", user="Eve", autoblock="1", expiry="1 week")
    laptop = new_api("203.0.113.40")
    token = await laptop.token("login")
    passed = (await laptop.post(action="clientlogin", username="Eve", password="EvePassword-12345",
                                loginreturnurl="http://wiki.test/", logintoken=token)).json()["clientlogin"]
    assert passed["status"] == "PASS"
    assert (await edit(new_api("203.0.113.40"), "Anywhere", "neighbour"))["error"]["code"] == "autoblocked"
    # Without autoblock, logging in leaves the address alone.
    await post(mindy, "block", user="Eve", reblock="1", expiry="1 week")
    phone = new_api("203.0.113.41")
    token = await phone.token("login")
    await phone.post(action="clientlogin", username="Eve", password="EvePassword-12345",
                     loginreturnurl="http://wiki.test/", logintoken=token)
    assert "edit" in await edit(new_api("203.0.113.41"), "Anywhere", "neighbour")


async def test_a_block_that_hides_the_name_hides_it_from_user_lists(new_api: Any, services: Any) -> None:
    await services.accounts.create("Vandal", None)
    oversighter = await logged_in(new_api, services, "Olga", ("sysop", "suppress"))
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    assert (await post(mindy, "block", user="Vandal", hidename="1"))["error"]["code"] == "permissiondenied"
    placed = (await post(oversighter, "block", user="Vandal", hidename="1"))["block"]
    assert placed["hidename"] is True

    async def names(api: Any) -> list[str]:
        body = (await api.get(action="query", list="allusers", formatversion="2")).json()
        return [user["name"] for user in body["query"]["allusers"]]

    assert "Vandal" not in await names(mindy) and "Vandal" in await names(oversighter)
    users = (await mindy.get(action="query", list="users", ususers="Vandal", formatversion="2")).json()
    assert users["query"]["users"][0].get("missing") is True
    # The block itself, and its entry in the suppression log, are hidden from Mindy too.
    assert await blocks(mindy) == [] and [b["id"] for b in await blocks(oversighter)] == [placed["id"]]
    log = (await mindy.get(action="query", list="logevents", letype="suppress", formatversion="2")).json()
    assert log["query"]["logevents"] == []
    lifted = await post(mindy, "unblock", user="Vandal")
    assert lifted["error"]["code"] == "unblock-hideuser"
    assert "unblock" in await post(oversighter, "unblock", user="Vandal")
    assert "Vandal" in await names(mindy)
