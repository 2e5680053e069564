"""Protection, logs and blocks through HTTP: a sysop protects a page with the form and finds it in
Special:Log and Special:ProtectedPages; others see the protection but no form; a sysop blocks and
unblocks through the forms; the blocked user reads why on the page; hidden names stay hidden."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_pages_account import form_token, log_in, shown_error


async def _sysop(client: httpx.AsyncClient, make_user: Any, new_api: Any, *, page: str | None = None) -> Any:
    """Mindy, a sysop, logged in on the pages in `client` and in an API client of her own (returned)."""
    await make_user("Mindy", "Mindy-password-1", groups=("sysop",))
    await log_in(client, "Mindy", "Mindy-password-1")
    api = new_api()
    await api.login("Mindy", "Mindy-password-1")
    if page is not None:
        await api.post(action="edit", title=page, text="Some text.", token=await api.token())
    return api


async def test_a_sysop_protects_a_page_with_the_form_and_finds_it_logged_and_listed(
        client: httpx.AsyncClient, make_user: Any, new_api: Any) -> None:
    api = await _sysop(client, make_user, new_api, page="Guarded")
    form = await client.get("/w/index.php", params={"title": "Guarded", "action": "protect"})
    assert 'name="wpLevel-edit"' in form.text and 'name="wpLevel-move"' in form.text
    done = await client.post("/w/index.php/Guarded?action=protect", data={
        "wpEditToken": form_token(form), "wpLevel-edit": "sysop", "wpExpiry-edit": "1 week",
        "wpLevel-move": "sysop", "wpExpiry-move": "infinite", "wpReason": "Vandalism"})
    assert done.status_code == 303
    info = (await api.get(action="query", prop="info", inprop="protection", titles="Guarded",
                          formatversion=2)).json()["query"]["pages"][0]["protection"]
    assert sorted((entry["type"], entry["level"]) for entry in info) == [("edit", "sysop"), ("move", "sysop")]
    logged = await client.get("/w/index.php/Special:Log", params={"type": "protect", "page": "Guarded"})
    assert "protect/protect" in logged.text and "Vandalism" in logged.text and "[edit=sysop]" in logged.text
    by_mindy = await client.get("/w/index.php/Special:Log", params={"user": "Mindy"})
    assert "protect/protect" in by_mindy.text and "create/create" in by_mindy.text
    by_other = await client.get("/w/index.php/Special:Log", params={"user": "Somebody else"})
    assert "protect/protect" not in by_other.text and "There is nothing to show." in by_other.text
    listed = await client.get("/wiki/Special:ProtectedPages")
    assert ">Guarded</a>" in listed.text
    assert "only users who may sysop can do this" in (await client.get("/wiki/Guarded")).text


async def test_others_see_the_protection_but_cannot_change_it(
        client: httpx.AsyncClient, make_user: Any, new_api: Any) -> None:
    await make_user("Mindy", "Mindy-password-1", groups=("sysop",))
    api = new_api()
    await api.login("Mindy", "Mindy-password-1")
    token = await api.token()
    await api.post(action="edit", title="Guarded", text="x", token=token)
    await api.post(action="protect", title="Guarded", protections="edit=sysop", token=token)
    await make_user("Plain", "Plain-password-1")
    await log_in(client, "Plain", "Plain-password-1")
    page = await client.get("/w/index.php", params={"title": "Guarded", "action": "protect"})
    assert "sysop" in page.text and 'name="wpLevel-edit"' not in page.text
    token = form_token(await client.get("/w/index.php/Special:UserLogout"))  # the session's own edit token
    forged = await client.post("/w/index.php/Guarded?action=protect", data={
        "wpEditToken": token, "wpLevel-edit": "", "wpLevel-move": ""})
    assert forged.status_code == 400 and "only members of the group administrators" in shown_error(forged).lower()


async def test_a_title_protected_from_creation_is_listed(client: httpx.AsyncClient, make_user: Any,
                                                         new_api: Any) -> None:
    await _sysop(client, make_user, new_api)
    form = await client.get("/w/index.php", params={"title": "Not yet", "action": "protect"})
    assert 'name="wpLevel-create"' in form.text and 'name="wpCascade"' not in form.text
    await client.post("/w/index.php/Not_yet?action=protect", data={
        "wpEditToken": form_token(form), "wpLevel-create": "sysop", "wpExpiry-create": "infinite"})
    assert ">Not yet</a>" in (await client.get("/wiki/Special:ProtectedTitles")).text


async def test_a_sysop_blocks_and_unblocks_and_the_blocked_user_reads_why(
        client: httpx.AsyncClient, make_user: Any, new_api: Any) -> None:
    api = await _sysop(client, make_user, new_api)
    await make_user("Vandal", "Vandal-password-1")
    form = await client.get("/w/index.php/Special:Block/Vandal")
    assert 'value="Vandal"' in form.text
    blocked = await client.post("/w/index.php/Special:Block", data={
        "wpEditToken": form_token(form), "wpTarget": "Vandal", "wpExpiry": "1 day",
        "wpReason": "Spamming links", "wpCreateAccount": "1"})
    assert "Vandal is blocked until" in blocked.text
    listing = await client.get("/wiki/Special:BlockList")
    assert "Vandal" in listing.text and "Spamming links" in listing.text
    async with httpx.AsyncClient(transport=client._transport, base_url="http://wiki.test") as vandal:  # noqa: SLF001
        await log_in(vandal, "Vandal", "Vandal-password-1")
        seen = await vandal.get("/wiki/Main_Page")
        assert "blocked" in seen.text and "Spamming links" in seen.text and "Mindy" in seen.text
        refused = await vandal.get("/wiki/Special:Block/Mindy")
        assert refused.status_code == 403
    block_id = (await api.get(action="query", list="blocks", bkusers="Vandal")).json()["query"]["blocks"][0]["id"]
    form = await client.get("/w/index.php/Special:Unblock", params={"wpTarget": f"#{block_id}"})
    lifted = await client.post("/w/index.php/Special:Unblock", data={
        "wpEditToken": form_token(form), "wpTarget": f"#{block_id}", "wpReason": "Promised to stop"})
    assert "The block of Vandal was removed." in lifted.text
    assert (await api.get(action="query", list="blocks", bkusers="Vandal")).json()["query"]["blocks"] == []
    logged = await client.get("/wiki/Special:Log/block")
    assert "block/block" in logged.text and "block/unblock" in logged.text


async def test_a_refused_block_says_why(client: httpx.AsyncClient, make_user: Any, new_api: Any) -> None:
    await _sysop(client, make_user, new_api)
    form = await client.get("/w/index.php/Special:Block")
    refused = await client.post("/w/index.php/Special:Block", data={
        "wpEditToken": form_token(form), "wpTarget": "Nobody at all", "wpExpiry": "1 day"})
    assert refused.status_code == 400 and shown_error(refused)


async def test_the_log_keeps_suppressed_names_from_those_who_may_not_see_them(
        client: httpx.AsyncClient, make_user: Any, new_api: Any) -> None:
    await make_user("Steward", "Steward-password-1", groups=("steward", "sysop"))
    api = new_api()
    await api.login("Steward", "Steward-password-1")
    await make_user("Secret", "Secret-password-1", groups=("sysop",))
    async with httpx.AsyncClient(transport=client._transport, base_url="http://wiki.test") as other:  # noqa: SLF001
        await log_in(other, "Secret", "Secret-password-1")
        form = await other.get("/w/index.php", params={"title": "Touched", "action": "protect"})
        await other.post("/w/index.php/Touched?action=protect", data={
            "wpEditToken": form_token(form), "wpLevel-create": "sysop", "wpExpiry-create": "infinite"})
    await api.post(action="setglobalaccountstatus", user="Secret", locked="lock", hidden="suppressed",
                   statecheck="", token=await api.token("setglobalaccountstatus"))
    logged = await client.get("/wiki/Special:Log", params={"type": "protect"})
    assert "Secret" not in logged.text and "(name hidden)" in logged.text


async def test_a_bureaucrat_changes_groups_with_the_form_and_others_only_see_them(
        client: httpx.AsyncClient, make_user: Any, new_api: Any) -> None:
    await make_user("Crat", "Crat-password-1", groups=("bureaucrat",))
    await make_user("Helper", "Helper-password-1")
    await log_in(client, "Crat", "Crat-password-1")
    form = await client.get("/w/index.php/Special:UserRights/Helper")
    assert 'name="wpGroup-sysop"' in form.text and 'name="wpSave"' in form.text
    saved = await client.post("/w/index.php/Special:UserRights", data={
        "wpEditToken": form_token(form), "wpTarget": "Helper", "wpSave": "1", "wpGroup-sysop": "1",
        "wpExpiry-sysop": "1 month", "wpGroup-bot": "1", "wpReason": "Trusted"})
    assert "The groups of Helper were saved." in saved.text
    api = new_api()
    users = (await api.get(action="query", list="users", ususers="Helper", usprop="groupmemberships",
                           formatversion=2)).json()["query"]["users"][0]["groupmemberships"]
    expiries = {entry["group"]: entry["expiry"] for entry in users}
    assert expiries["bot"] == "infinity" and expiries["sysop"] != "infinity"
    assert "rights/rights" in (await client.get("/wiki/Special:Log/rights")).text
    async with httpx.AsyncClient(transport=client._transport, base_url="http://wiki.test") as helper:  # noqa: SLF001
        await log_in(helper, "Helper", "Helper-password-1")
        seen = await helper.get("/w/index.php/Special:UserRights/Crat")
        assert 'name="wpSave"' not in seen.text and "disabled" in seen.text
        token = form_token(await helper.get("/w/index.php/Special:UserLogout"))
        await helper.post("/w/index.php/Special:UserRights", data={
            "wpEditToken": token, "wpTarget": "Crat", "wpSave": "1"})  # would remove bureaucrat, may not
    crat = (await api.get(action="query", list="users", ususers="Crat", usprop="groups",
                          formatversion=2)).json()["query"]["users"][0]["groups"]
    assert "bureaucrat" in crat
    assert (await client.get("/w/index.php/Special:UserRights/Nobody_here")).status_code == 404
