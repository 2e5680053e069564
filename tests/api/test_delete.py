"""action=delete and action=undelete as MediaWiki 1.39 answers them (checked against the reference wiki)."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def post(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.post(token=await api.token(), formatversion="2", **params)).json())


async def get(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.get(formatversion="2", **params)).json())


async def history(api: Any, title: str) -> list[dict[str, Any]]:
    body = await get(api, action="query", prop="revisions", titles=title, rvprop="ids|user|comment", rvlimit="50")
    return list(body["query"]["pages"][0].get("revisions", []))


async def test_a_sysop_deletes_a_page_with_its_protection_and_restores_its_history(
        new_api: Any, services: Any, clock: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    await post(mindy, action="edit", title="Doomed", text="one", summary="first")
    clock.advance(1)
    await post(alice, action="edit", title="Doomed", text="two", summary="second")
    await post(mindy, action="protect", title="Doomed", protections="edit=sysop|move=sysop")
    before = await history(mindy, "Doomed")
    page_id = (await get(mindy, action="query", prop="info", titles="Doomed"))["query"]["pages"][0]["pageid"]

    refused = await post(alice, action="delete", title="Doomed")
    assert refused["error"]["code"] == "permissiondenied"
    deleted = await post(mindy, action="delete", title="Doomed", reason="cleanup")
    assert deleted == {"delete": {"title": "Doomed", "reason": "cleanup", "logid": deleted["delete"]["logid"]}}
    info = (await get(mindy, action="query", prop="info", inprop="protection", titles="Doomed"))["query"]["pages"][0]
    assert info["missing"] is True and info["protection"] == [] and info["restrictiontypes"] == ["create"]
    assert (await post(mindy, action="delete", title="Doomed"))["error"]["code"] == "missingtitle"
    log = (await get(mindy, action="query", list="logevents", letype="delete"))["query"]["logevents"]
    assert [(e["action"], e["title"], e["pageid"], e["logpage"], e["params"], e["comment"]) for e in log] == [
        ("delete", "Doomed", 0, page_id, {}, "cleanup")]

    assert (await post(alice, action="undelete", title="Doomed"))["error"]["code"] == "permissiondenied"
    restored = await post(mindy, action="undelete", title="Doomed", reason="back")
    assert restored == {"undelete": {"title": "Doomed", "revisions": 3, "fileversions": 0, "reason": "back"}}
    assert await history(mindy, "Doomed") == before
    info = (await get(mindy, action="query", prop="info", inprop="protection", titles="Doomed"))["query"]["pages"][0]
    assert info["pageid"] == page_id and info["protection"] == [] and info["new"] is True
    log = (await get(mindy, action="query", list="logevents", letype="delete", lelimit="1"))["query"]["logevents"]
    assert (log[0]["action"], log[0]["pageid"], log[0]["params"]) == (
        "restore", page_id, {"count": {"revisions": 3, "files": 0}})
    assert (await post(mindy, action="undelete", title="Doomed"))["error"]["code"] == "cantundelete"


async def test_a_deletion_without_a_reason_quotes_the_page_as_mediawiki_does(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    await post(alice, action="edit", title="Solo", text="Line one\nline two")
    await post(alice, action="edit", title="Shared", text="x")
    await post(mindy, action="edit", title="Shared", text="y")
    await post(alice, action="edit", title="Blanked", text="was here")
    await post(alice, action="edit", title="Blanked", text="")
    reasons = [(await post(mindy, action="delete", title=title))["delete"]["reason"]
               for title in ("Solo", "Shared", "Blanked")]
    assert reasons == [
        'content was: "Line one line two", and the only contributor was '
        '"[[Special:Contributions/Alice|Alice]]" ([[User talk:Alice|talk]])',
        'content was: "y"',
        'content before blanking was: "was here"']


async def test_deleting_the_talk_page_too(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    for title in ("Subject", "Talk:Subject", "Lonely"):
        await post(mindy, action="edit", title=title, text="text")
    both = await post(mindy, action="delete", title="Subject", reason="gone", deletetalk="1")
    assert "warnings" not in both
    log = (await get(mindy, action="query", list="logevents", letype="delete"))["query"]["logevents"]
    assert [(e["title"], e["comment"]) for e in log] == [
        ("Talk:Subject", "Deleted together with the associated page with reason: gone"), ("Subject", "gone")]
    alone = await post(mindy, action="delete", title="Lonely", deletetalk="1", errorformat="plaintext")
    assert alone["warnings"] == [{"code": "delete-error-associated-doesnotexist", "module": "delete",
                                  "text": alone["warnings"][0]["text"]}]
    await post(mindy, action="edit", title="Talk:Alone", text="text")
    talk = await post(mindy, action="delete", title="Talk:Alone", deletetalk="1", errorformat="plaintext")
    assert talk["warnings"][0]["code"] == "delete-error-associated-alreadytalk" and "logid" in talk["delete"]


async def test_undeleting_chosen_revisions_and_into_a_page_created_since(
        new_api: Any, services: Any, clock: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await post(mindy, action="edit", title="Phoenix", text="old one")
    clock.advance(10)
    await post(mindy, action="edit", title="Phoenix", text="old two")
    first, second = [r["timestamp"] for r in (await get(
        mindy, action="query", prop="revisions", titles="Phoenix", rvprop="timestamp", rvlimit="2",
        rvdir="newer"))["query"]["pages"][0]["revisions"]]
    await post(mindy, action="delete", title="Phoenix")
    clock.advance(10)
    await post(mindy, action="edit", title="Phoenix", text="new life")
    partial = await post(mindy, action="undelete", title="Phoenix", timestamps=first)
    assert partial["undelete"]["revisions"] == 1
    texts = await get(mindy, action="query", prop="revisions", titles="Phoenix", rvprop="content", rvslots="main",
                      rvlimit="5")
    # The older revision joins the history; the current text stays the newest one.
    assert [r["slots"]["main"]["content"] for r in texts["query"]["pages"][0]["revisions"]] == ["new life", "old one"]
    rest = await post(mindy, action="undelete", title="Phoenix", timestamps=second)
    assert rest["undelete"]["revisions"] == 1


async def test_a_deleted_title_keeps_its_create_protection(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    await post(mindy, action="protect", title="Guarded", protections="create=sysop")
    await post(mindy, action="edit", title="Guarded", text="by a sysop")
    await post(mindy, action="protect", title="Guarded", protections="edit=sysop")
    await post(mindy, action="delete", title="Guarded")
    # The page's own protections went with it; a new page is open to creation again.
    assert "edit" in (await post(alice, action="edit", title="Guarded", text="mine"))
