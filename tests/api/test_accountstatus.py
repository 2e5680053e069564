"""Account locks, hidden names and account deletion, as CentralAuth's setglobalaccountstatus and
deleteglobalaccount serve them (for this one wiki)."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.helpers import logged_in

PASSWORD = "EvePassword-12345"


async def status(api: Any, **params: Any) -> dict[str, Any]:
    token = await api.token("setglobalaccountstatus")
    return dict((await api.post(action="setglobalaccountstatus", token=token, formatversion="2", **params)).json())


async def clientlogin(api: Any, name: str, password: str) -> dict[str, Any]:
    token = await api.token("login")
    body = await api.post(action="clientlogin", username=name, password=password,
                          loginreturnurl="http://wiki.test/", logintoken=token)
    return dict(body.json()["clientlogin"])


async def whoami(api: Any) -> int:
    return int((await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"])


async def test_a_lock_ends_every_session_and_refuses_every_login(new_api: Any, services: Any,
                                                                 make_user: Any) -> None:
    await make_user("Eve", PASSWORD)
    steward = await logged_in(new_api, services, "Sam", ("steward",))
    browser = new_api()
    assert (await clientlogin(browser, "Eve", PASSWORD))["status"] == "PASS"
    bot = await services.login.create_bot_password("Eve", "tool", grants=["basic"])
    robot = new_api()
    token = await robot.token("login")
    login = (await robot.post(action="login", lgname="Eve@tool", lgpassword=bot[1], lgtoken=token)).json()
    assert login["login"]["result"] == "Success"

    locked = await status(steward, user="Eve", locked="lock", reason="spam")
    assert locked == {"setglobalaccountstatus": {"user": "Eve", "locked": True, "hidden": "", "reason": "spam"}}
    assert await whoami(browser) == 0 and await whoami(robot) == 0
    refused = await clientlogin(new_api(), "Eve", PASSWORD)
    assert (refused["status"], refused["messagecode"]) == ("FAIL", "centralauth-login-error-locked")
    # A wrong password says only that: whether the account is locked is not told to strangers.
    wrong = await clientlogin(new_api(), "Eve", "not-the-password")
    assert wrong["messagecode"] == "wrongpassword"
    again = new_api()
    token = await again.token("login")
    bot_login = (await again.post(action="login", lgname="Eve@tool", lgpassword=bot[1], lgtoken=token)).json()
    assert bot_login["login"]["result"] == "Failed"

    await status(steward, user="Eve", locked="unlock")
    assert (await clientlogin(new_api(), "Eve", PASSWORD))["status"] == "PASS"
    log = (await steward.get(action="query", list="logevents", letype="globalauth", formatversion="2")).json()
    assert [(e["action"], e["title"], e["params"]) for e in log["query"]["logevents"]] == [
        ("setstatus", "User:Eve@global", {"added": [], "removed": ["locked"]}),
        ("setstatus", "User:Eve@global", {"added": ["locked"], "removed": []})]


async def test_only_stewards_change_status_and_statecheck_guards_against_races(new_api: Any, services: Any,
                                                                              make_user: Any) -> None:
    record = await make_user("Eve", PASSWORD)
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    steward = await logged_in(new_api, services, "Sam", ("steward",))
    assert (await status(mindy, user="Eve", locked="lock"))["error"]["code"] == "permissiondenied"
    assert (await status(steward, user="Eve"))["error"]["code"] == "missingparam"
    assert (await status(steward, user="Nobody", locked="lock"))["error"]["code"] == "nosuchuser"
    stale = hashlib.md5(f"{record.id}:Eve::1".encode()).hexdigest()
    assert (await status(steward, user="Eve", locked="lock", statecheck=stale))["error"]["code"] == "editconflict"
    current = hashlib.md5(f"{record.id}:Eve::0".encode()).hexdigest()
    done = await status(steward, user="Eve", locked="lock", statecheck=current)
    assert done["setglobalaccountstatus"]["locked"] is True
    # Nothing to change is still an answer, with the state as it is.
    assert (await status(steward, user="Eve", locked=""))["setglobalaccountstatus"]["locked"] is True


async def test_hidden_names_leave_the_lists_and_suppressed_ones_the_logs(new_api: Any, services: Any) -> None:
    eve = await logged_in(new_api, services, "Eve")
    await eve.post(action="edit", title="Eve's page", text="x", token=await eve.token())
    steward = await logged_in(new_api, services, "Sam", ("steward",))
    alice = await logged_in(new_api, services, "Alice")

    async def listed(api: Any) -> list[str]:
        body = (await api.get(action="query", list="allusers", formatversion="2")).json()
        return [user["name"] for user in body["query"]["allusers"]]

    async def users(api: Any) -> dict[str, Any]:
        body = (await api.get(action="query", list="users", ususers="Eve", formatversion="2")).json()
        return dict(body["query"]["users"][0])

    async def creator(api: Any) -> dict[str, Any]:
        body = (await api.get(action="query", list="logevents", letype="create", formatversion="2")).json()
        return dict(body["query"]["logevents"][0])

    assert (await status(steward, user="Eve", hidden="lists"))["setglobalaccountstatus"]["hidden"] == "lists"
    assert "Eve" not in await listed(alice) and "Eve" in await listed(steward)
    assert (await users(alice)).get("missing") is True and "userid" in await users(steward)
    assert (await creator(alice))["user"] == "Eve"
    await status(steward, user="Eve", hidden="suppressed")
    shown = await creator(alice)
    assert shown.get("userhidden") is True and "user" not in shown
    assert (await creator(steward))["user"] == "Eve"
    # Suppressing went to the suppression log, which only its readers see.
    suppress = (await alice.get(action="query", list="logevents", letype="suppress", formatversion="2")).json()
    assert suppress["query"]["logevents"] == []
    # A suppressed account is no account to those who may not see it.
    assert (await status(alice, user="Eve", locked="lock"))["error"]["code"] == "permissiondenied"


async def test_deleting_an_account_erases_its_credentials_but_not_its_history(new_api: Any, services: Any,
                                                                            make_user: Any) -> None:
    await make_user("Eve", PASSWORD)
    eve = new_api()
    assert (await clientlogin(eve, "Eve", PASSWORD))["status"] == "PASS"
    await eve.post(action="edit", title="Eve's page", text="kept", token=await eve.token())
    await services.login.create_bot_password("Eve", "tool", grants=["basic"])
    await services.login.enable_two_factor("Eve")
    steward = await logged_in(new_api, services, "Sam", ("steward",))
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token("deleteglobalaccount")
    refused = (await mindy.post(action="deleteglobalaccount", user="Eve", token=token)).json()
    assert refused["error"]["code"] == "permissiondenied"
    token = await steward.token("deleteglobalaccount")
    done = (await steward.post(action="deleteglobalaccount", user="Eve", reason="gone", token=token)).json()
    assert done == {"deleteglobalaccount": {"user": "Eve", "reason": "gone"}}
    assert await whoami(eve) == 0
    assert await services.accounts.find("Eve") is None
    assert (await clientlogin(new_api(), "Eve", PASSWORD))["messagecode"] == "wrongpassword"
    history = (await steward.get(action="query", prop="revisions", titles="Eve's page", rvprop="user",
                                 formatversion="2")).json()
    assert history["query"]["pages"][0]["revisions"][0]["user"] == "Eve"
    again = (await steward.post(action="deleteglobalaccount", user="Eve", token=token)).json()
    assert again["error"]["code"] == "nosuchuser"
