"""action=createaccount: names, passwords, the right, the throttle (MediaWiki 1.39's answers)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import HASHER, table_rows
from wikigate.config import Settings
from wikigate.store.schema import logging as logging_table

RETURN = "http://wiki.test/"
GOOD = "Xy-12345678-abc"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, account_creation_throttle=({"count": 3, "seconds": 86400},))


async def create(api: Api, **params: Any) -> dict[str, Any]:
    token = await api.token("createaccount")
    body = (await api.post(action="createaccount", createtoken=token, **params)).json()
    return dict(body)


async def register(api: Api, name: str, password: str = GOOD, retype: str | None = None) -> dict[str, Any]:
    body = await create(api, username=name, password=password, retype=password if retype is None else retype,
                        createreturnurl=RETURN)
    return dict(body["createaccount"])


async def test_pass_returns_the_canonical_name(api: Api, services, runtime) -> None:  # type: ignore[no-untyped-def]
    assert await register(api, "new_user") == {"status": "PASS", "username": "New user"}
    record = await services.accounts.find("New user")
    assert record is not None and HASHER.verify(GOOD, record.password)
    [entry] = await table_rows(runtime, logging_table)
    assert (entry.type, entry.action, entry.user_id, entry.title) == ("newusers", "create", record.id, "New_user")


async def test_the_creator_is_not_logged_in_as_the_new_account(api: Api) -> None:
    await register(api, "New user")
    # MediaWiki 1.39's API leaves the session anonymous; clients log in afterwards.
    assert (await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"] == 0
    assert (await api.login("New user", GOOD))["clientlogin"]["status"] == "PASS"


async def test_existing_name(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    result = await register(api, "alice")
    assert result["status"] == "FAIL" and result["messagecode"] == "userexists"


@pytest.mark.parametrize("name", ["Bad|name", "Bad@name", "127.0.0.1", ""])
async def test_invalid_names(api: Api, name: str) -> None:
    assert await register(api, name) == {
        "status": "FAIL", "message": "You have not specified a valid username.", "messagecode": "invaliduser"}


async def test_retype_must_match(api: Api) -> None:
    assert (await register(api, "Newbie", retype=GOOD + "x"))["messagecode"] == "badretype"


async def test_password_policy_failures(api: Api) -> None:
    assert (await register(api, "Newbie zz", "Newbie"))["messagecode"] == "password-substring-username-match"
    assert (await register(api, "Newbie zz", "password"))["messagecode"] == "passwordincommonlist"


async def test_missing_retype_finds_no_primary(api: Api) -> None:
    body = await create(api, username="Newbie", password=GOOD, createreturnurl=RETURN)
    assert body["createaccount"]["messagecode"] == "authmanager-create-no-primary"


async def test_throttle_counts_creations_per_ip(api: Api, new_api) -> None:  # type: ignore[no-untyped-def]
    for index in range(3):
        assert (await register(api, f"Newbie {index}"))["status"] == "PASS"
    refused = await register(api, "Newbie 4")
    assert refused["messagecode"] == "acct_creation_throttle_hit"
    assert refused["message"].startswith(
        "Visitors to this wiki using your IP address have created 3 accounts in the last 1 day,")
    assert (await register(new_api(ip="10.0.0.9"), "Newbie 4"))["status"] == "PASS"


def _without_createaccount(settings: Settings) -> Settings:
    permissions = {group: [r for r in rights if r != "createaccount"]
                   for group, rights in settings.group_permissions.items()}
    return replace(settings, group_permissions=permissions)


@pytest.mark.configure(lambda settings: _without_createaccount(settings))
async def test_creation_needs_the_right(api: Api, services) -> None:  # type: ignore[no-untyped-def]
    assert not any("createaccount" in rights for rights in services.settings.group_permissions.values())
    result = await register(api, "Newbie")
    assert result["status"] == "FAIL" and result["messagecode"] == "permissiondenied"


async def test_continue_without_creation_in_progress(api: Api) -> None:
    body = await create(api, createcontinue="1", reason="x")
    assert body["createaccount"]["messagecode"] == "authmanager-create-not-in-progress"
    assert body["warnings"]["main"]["*"] == "Unrecognized parameter: reason."


async def test_logged_in_creator_gives_a_reason(api: Api, make_user, runtime) -> None:  # type: ignore[no-untyped-def]
    await make_user("Admin", "AdminPassword-1234", groups=("sysop",))
    await api.login("Admin", "AdminPassword-1234")
    body = await create(api, username="Other", password=GOOD, retype=GOOD, reason="for a friend",
                        createreturnurl=RETURN)
    assert body["createaccount"]["status"] == "PASS" and "warnings" not in body
    [entry] = await table_rows(runtime, logging_table)
    assert (entry.action, entry.user_text, entry.comment) == ("create2", "Admin", "for a friend")
    assert (await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["name"] == "Admin"


async def test_token_is_required(api: Api) -> None:
    await api.token("createaccount")
    body = (await api.post(action="createaccount", username="X", password=GOOD, retype=GOOD,
                           createreturnurl=RETURN)).json()
    assert body["error"]["code"] == "missingparam"


async def test_a_mailed_password_is_refused_as_1_39_refuses_it(new_api, services) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import logged_in

    admin = await logged_in(new_api, services, "Admin", ("sysop", "bureaucrat"))
    info = (await admin.get(action="query", meta="authmanagerinfo", amirequestsfor="create",
                            amimergerequestfields="1", formatversion="2")).json()["query"]["authmanagerinfo"]
    # A logged-in creator may choose between a password and a mailed one: both are optional, merged.
    assert info["fields"]["mailpassword"]["optional"] and info["fields"]["password"]["optional"]
    assert info["fields"]["username"]["optional"] is False
    token = await admin.token("createaccount")
    answer = (await admin.post(action="createaccount", username="Mailed", mailpassword="1", email="m@example.org",
                               createreturnurl="http://wiki.test/", createtoken=token)).json()["createaccount"]
    # MediaWiki looks for the new account's address before it has one: always noemailcreate.
    assert (answer["status"], answer["messagecode"]) == ("FAIL", "noemailcreate")
    assert await services.accounts.find("Mailed") is None
