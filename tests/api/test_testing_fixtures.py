"""A test server seeds what a test declares through POST /testing/fixtures: accounts with groups that
expire, titles protected from creation and blocks, as `wikigate seed` makes them from a file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

as_test_server = pytest.mark.configure(lambda settings: replace(settings, testing=True))


@as_test_server
async def test_fixtures_posted_to_a_test_server_make_groups_that_expire_protected_titles_and_blocks(
        client: httpx.AsyncClient, api: Any, new_api: Any) -> None:
    response = await client.post("/testing/fixtures", json={
        "users": [{"name": "Temp Admin", "password": "temp-admin-pass-1", "groups": ["sysop", "bot"],
                   "group_expiry": {"sysop": "1 week"}},
                  {"name": "Vandal", "password": "vandal-password-1"}],
        "protected_titles": [{"title": "Not yet", "level": "autoconfirmed", "by": "Temp Admin"}],
        "blocks": [{"target": "Vandal", "by": "Temp Admin", "expiry": "1 day", "reason": "Testing blocks",
                    "nocreate": True},
                   {"target": "192.0.2.0/24", "by": "Temp Admin", "anononly": True}],
    })
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["protected_titles"] == ["Not yet"]
    assert [block["target"] for block in made["blocks"]] == ["Vandal", "192.0.2.0/24"]
    users = (await api.get(action="query", list="users", ususers="Temp Admin|Vandal",
                           usprop="groupmemberships|blockinfo", formatversion="2")).json()["query"]["users"]
    memberships = {membership["group"]: membership["expiry"] for membership in users[0]["groupmemberships"]}
    assert memberships["bot"] == "infinity" and memberships["sysop"] != "infinity"
    assert users[1]["blockreason"] == "Testing blocks"
    titles = (await api.get(action="query", list="protectedtitles", formatversion="2")).json()
    assert [(entry["title"], entry["level"]) for entry in titles["query"]["protectedtitles"]] == [
        ("Not yet", "autoconfirmed")]
    vandal = new_api()
    await vandal.login("Vandal", "vandal-password-1")
    refused = (await vandal.post(action="edit", title="Sandbox", text="x", token=await vandal.token())).json()
    assert refused["error"]["code"] == "blocked"


@as_test_server
async def test_bad_fixtures_are_refused_in_words_and_make_nothing(client: httpx.AsyncClient, api: Any) -> None:
    response = await client.post("/testing/fixtures", json={
        "users": [{"name": "Half"}], "blocks": [{"target": "Nobody at all", "by": "Half"}]})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "badfixtures", "info": "blocks[0]: target 'Nobody at all' is neither in the file nor on the wiki"}
    missing = (await api.get(action="query", list="users", ususers="Half", formatversion="2")).json()
    assert missing["query"]["users"][0].get("missing") is True


async def test_a_server_that_is_not_a_test_server_takes_no_fixtures(client: httpx.AsyncClient) -> None:
    response = await client.post("/testing/fixtures", json={"users": [{"name": "Sneaky"}]})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "testing-disabled")
