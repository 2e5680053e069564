"""action=edit: results, conflicts and the permission errors of MediaWiki 1.39."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from typing import Any

import pytest

from tests.helpers import logged_in
from wikigate.config import Settings


async def edit(api: Any, **params: Any) -> dict[str, Any]:
    return dict((await api.post(action="edit", token=await api.token(), **params)).json())


async def content(api: Any, title: str) -> str:
    body = (await api.get(action="query", prop="revisions", titles=title, rvprop="content", rvslots="main",
                          formatversion="2")).json()
    return str(body["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"])


async def test_create_then_update_then_nochange(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    created = await edit(alice, title="PP_test_one", text="hello", summary="s")
    assert created == {"edit": {"new": "", "result": "Success", "pageid": 1, "title": "PP test one",
                                "contentmodel": "wikitext", "oldrevid": 0, "newrevid": 1,
                                "newtimestamp": "2026-09-21T14:13:20Z", "watched": ""}}
    updated = await edit(alice, title="PP test one", appendtext=" more", formatversion="2")
    assert updated["edit"]["oldrevid"] == 1 and updated["edit"]["newrevid"] == 2 and "new" not in updated["edit"]
    assert updated["edit"]["watched"] is True
    same = await edit(alice, title="PP test one", text="hello more")
    assert same == {"edit": {"result": "Success", "pageid": 1, "title": "PP test one", "contentmodel": "wikitext",
                             "nochange": "", "watched": ""}}
    assert await content(alice, "PP test one") == "hello more"


async def test_prepend_append_and_md5(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text="middle")
    digest = hashlib.md5(b"top\n\nbottom").hexdigest()
    body = await edit(alice, title="Page", prependtext="top\n", appendtext="\nbottom", md5=digest)
    assert body["edit"]["result"] == "Success"
    assert await content(alice, "Page") == "top\nmiddle\nbottom"
    assert (await edit(alice, title="Page", text="x", md5="0" * 32))["error"]["code"] == "badmd5"
    good = hashlib.md5(b"x").hexdigest()
    assert (await edit(alice, title="Page", text="x", md5=good))["edit"]["result"] == "Success"


async def test_createonly_nocreate_and_parameters(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text="a")
    assert (await edit(alice, title="Page", text="b", createonly="1"))["error"]["code"] == "articleexists"
    assert (await edit(alice, title="Missing", text="b", nocreate="1"))["error"]["code"] == "missingtitle"
    assert (await edit(alice, title="Page"))["error"]["code"] == "missingparam"
    assert (await edit(alice, text="b"))["error"]["code"] == "missingparam"
    assert (await edit(alice, title="Bad[x]", text="b"))["error"]["code"] == "invalidtitle"
    assert (await edit(alice, pageid="99", text="b"))["error"]["code"] == "nosuchpageid"
    assert (await edit(alice, pageid="1", text="by id"))["edit"]["title"] == "Page"
    get = await alice.get(action="edit", title="Page", text="b", token=await alice.token())
    assert get.json()["error"]["code"] == "mustpostparams"


async def test_edit_conflict(new_api: Any, services: Any, clock: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    bob = await logged_in(new_api, services, "Bob")
    await edit(alice, title="Page", text="one")
    base = "20260921141320"  # TS_MW, as pywikibot sends it
    clock.advance(5)
    assert (await edit(bob, title="Page", text="two"))["edit"]["result"] == "Success"
    clock.advance(5)
    body = await edit(alice, title="Page", text="three", basetimestamp=base, starttimestamp=base)
    assert body["error"]["code"] == "editconflict"
    # Later revisions by the editor alone are no conflict, nor is a zero base timestamp.
    assert (await edit(bob, title="Page", text="four", basetimestamp=base))["edit"]["result"] == "Success"
    assert (await edit(alice, title="Page", text="five", basetimestamp="0"))["edit"]["result"] == "Success"
    latest = (await alice.get(action="query", prop="revisions", titles="Page", rvprop="timestamp")).json()
    stamp = next(iter(latest["query"]["pages"].values()))["revisions"][0]["timestamp"]
    assert (await edit(alice, title="Page", text="six", basetimestamp=stamp))["edit"]["result"] == "Success"


async def test_protection_null_revision_is_no_conflict(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text="one")
    clock.advance(5)
    await mindy.post(action="protect", title="Page", protections="move=sysop", token=await mindy.token())
    body = await edit(alice, title="Page", text="two", basetimestamp="2026-09-21T14:13:20Z")
    assert body["edit"]["result"] == "Success"


async def test_minor_needs_minoredit_and_an_existing_page(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text="a", minor="1")
    await edit(alice, title="Page", text="b", minor="1")
    await edit(alice, title="Page", text="c", minor="1", notminor="1")
    anonymous = new_api()
    await edit(anonymous, title="Page", text="d", minor="1")
    body = (await alice.get(action="query", prop="revisions", titles="Page", rvlimit="10", rvprop="flags|user",
                            formatversion="2")).json()
    flags = [(r["user"], r["minor"]) for r in body["query"]["pages"][0]["revisions"]]
    assert flags == [("127.0.0.1", False), ("Alice", False), ("Alice", True), ("Alice", False)]


async def test_protection_errors(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    anonymous = new_api()
    await edit(mindy, title="Locked", text="a")
    await mindy.post(action="protect", title="Locked", protections="edit=sysop", token=await mindy.token())
    await mindy.post(action="protect", title="Not yet", protections="create=autoconfirmed", token=await mindy.token())
    assert (await edit(alice, title="Locked", text="b"))["error"]["code"] == "protectedpage"
    assert (await edit(anonymous, title="Not yet", text="b"))["error"]["code"] == "protectedpage"
    response = await anonymous.post(action="edit", title="Not yet", text="b", token="+\\")
    assert response.headers["mediawiki-api-error"] == "protectedpage"
    assert (await edit(alice, title="Not yet", text="b"))["edit"]["new"] == ""
    listed = (await alice.get(action="query", list="protectedtitles")).json()["query"]["protectedtitles"]
    assert listed == []  # creating the page ended its create protection


async def test_cascading_protection(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    await edit(mindy, title="Template:Box", text="box")
    await edit(mindy, title="Front", text="{{Box}} and {{:Other}} and {{#if:x|y}} {{PAGENAME}}")
    await mindy.post(action="protect", title="Front", protections="edit=sysop", cascade="1", token=await mindy.token())
    body = await edit(alice, title="Template:Box", text="vandal")
    assert body["error"]["code"] == "cascadeprotected"
    assert "Front" in body["error"]["info"]
    assert (await edit(alice, title="Other", text="new"))["error"]["code"] == "cascadeprotected"
    assert (await edit(mindy, title="Template:Box", text="fine"))["edit"]["result"] == "Success"
    templates = (await alice.get(action="query", prop="templates", titles="Front", formatversion="2")).json()
    assert templates["query"]["pages"][0]["templates"] == [{"ns": 0, "title": "Other"}, {"ns": 10, "title": "Template:Box"}]


def without_anonymous_creation(settings: Settings, *, anonymous_edit: bool) -> Settings:
    """Anonymous users may not create pages (and edit only if `anonymous_edit`); users may not create talk pages."""
    groups = dict(settings.group_permissions)
    groups["*"] = [r for r in groups["*"] if r not in ("createpage", "createtalk", "edit")]
    if anonymous_edit:
        groups["*"] = [*groups["*"], "edit"]
    groups["user"] = [r for r in groups["user"] if r != "createtalk"]
    return replace(settings, group_permissions=groups)


@pytest.mark.configure(lambda settings: without_anonymous_creation(settings, anonymous_edit=False))
async def test_permission_rules(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    anonymous = new_api()
    assert (await edit(anonymous, title="New", text="a"))["error"]["code"] == "permissiondenied"
    assert (await edit(alice, title="Talk:New", text="a"))["error"]["code"] == "cantcreate"
    assert (await edit(alice, title="MediaWiki:Sidebar", text="a"))["error"]["code"] == "protectednamespace-interface"


@pytest.mark.configure(lambda settings: without_anonymous_creation(settings, anonymous_edit=True))
async def test_permission_rules_anonymous_may_edit_but_not_create(new_api: Any) -> None:
    anonymous = new_api()
    assert (await edit(anonymous, title="New", text="a"))["error"]["code"] == "cantcreate-anon"


async def test_writeapi_and_rate_limit(new_api: Any, services: Any) -> None:
    anonymous = new_api()
    for number in range(8):
        assert (await edit(anonymous, title="Sandbox", text=str(number)))["edit"]["result"] == "Success"
    assert (await edit(anonymous, title="Sandbox", text="again"))["error"]["code"] == "ratelimited"


@pytest.mark.configure(lambda settings: replace(settings, group_permissions={
    **settings.group_permissions, "*": ["read", "edit", "createpage"]}))
async def test_writeapi_is_needed(new_api: Any) -> None:
    assert (await edit(new_api(ip="10.0.0.9"), title="Sandbox", text="x"))["error"]["code"] == "writeapidenied"


async def test_new_section_and_undo_of_a_missing_revision(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text="intro")
    body = await edit(alice, title="Page", section="new", sectiontitle="Topic", text="Body.")
    assert body["edit"]["result"] == "Success"
    assert await content(alice, "Page") == "intro\n\n== Topic ==\n\nBody."
    history = (await alice.get(action="query", prop="revisions", titles="Page", rvprop="comment")).json()
    assert next(iter(history["query"]["pages"].values()))["revisions"][0]["comment"] == "/* Topic */ new section"
    assert (await edit(alice, title="Page", undo="987654321"))["error"]["code"] == "nosuchrevid"
    first, second = [rev["revid"] for rev in (await alice.get(
        action="query", prop="revisions", titles="Page", rvprop="ids", rvdir="newer", rvlimit="2")).json()[
        "query"]["pages"].popitem()[1]["revisions"]]
    # Nothing comes before a first revision: MediaWiki cannot find the (unnamed) revision to go back to.
    first_undo = await edit(alice, title="Page", undo=str(first))
    assert first_undo["error"]["code"] == "nosuchrevid" and first_undo["error"]["info"].endswith(" ID .")
    assert (await edit(alice, title="Page", undo=str(second)))["edit"]["result"] == "Success"
    assert await content(alice, "Page") == "intro"


@pytest.mark.configure(lambda settings: replace(settings, autoconfirm_count=2))
async def test_edit_count_makes_autoconfirmed(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    alice = await logged_in(new_api, services, "Alice")
    await edit(mindy, title="Semi", text="a")
    await mindy.post(action="protect", title="Semi", protections="edit=autoconfirmed", token=await mindy.token())
    assert (await edit(alice, title="Semi", text="b"))["error"]["code"] == "protectedpage"
    await edit(alice, title="Other", text="1")
    await edit(alice, title="Other", text="1")  # a null edit does not count
    await edit(alice, title="Other", text="2")
    info = (await alice.get(action="query", meta="userinfo", uiprop="editcount|groups")).json()["query"]["userinfo"]
    assert info["editcount"] == 2 and "autoconfirmed" in info["groups"]
    assert (await edit(alice, title="Semi", text="b"))["edit"]["result"] == "Success"


async def test_watchlist_parameter(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    body = await edit(alice, title="Page", text="a", watchlist="nochange")
    assert "watched" not in body["edit"]
    assert (await edit(alice, title="Page", text="b", watchlist="watch"))["edit"]["watched"] == ""
    assert "watched" not in (await edit(alice, title="Page", text="c", watchlist="unwatch"))["edit"]
    # Anonymous users have no watchlist, but MediaWiki reports the preference anyway.
    assert (await edit(new_api(), title="Page", text="d"))["edit"]["watched"] == ""


async def test_concurrent_edits_keep_a_linear_history(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    await edit(mindy, title="Busy", text="start")
    responses = await asyncio.gather(*(
        mindy.post(action="edit", title="Busy", appendtext=f" {n}", token=token) for n in range(6)))
    results = [r.json()["edit"] for r in responses]
    assert all(r["result"] == "Success" for r in results)
    chain = sorted((r["oldrevid"], r["newrevid"]) for r in results)
    assert [old for old, _ in chain[1:]] == [new for _, new in chain[:-1]]  # each saved on the previous one
    final = await content(mindy, "Busy")
    assert sorted(final.split()[1:]) == [str(n) for n in range(6)]


PAGE = "Lead\n== A ==\nS1\n=== A1 ===\nsub\n== B ==\nS2"


async def test_lead_section_edit_keeps_every_other_section(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text=PAGE)
    assert (await edit(alice, title="Page", section="0", text="New lead"))["edit"]["result"] == "Success"
    assert await content(alice, "Page") == "New lead\n\n== A ==\nS1\n=== A1 ===\nsub\n== B ==\nS2"


async def test_numbered_section_edit_replaces_that_section_and_its_subsections(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text=PAGE)
    assert (await edit(alice, title="Page", section="1", text="== A2 ==\nnew"))["edit"]["result"] == "Success"
    assert await content(alice, "Page") == "Lead\n== A2 ==\nnew\n\n== B ==\nS2"
    await edit(alice, title="Page", section="2", appendtext="!")
    assert await content(alice, "Page") == "Lead\n== A2 ==\nnew\n\n== B ==\nS2!"
    await edit(alice, title="Page", section="2", text="")
    assert await content(alice, "Page") == "Lead\n== A2 ==\nnew"


async def test_every_section_edit_keeps_the_text_outside_its_section(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    page = "Lead <!--\n== not a heading ==\n-->\n== A ==\n{{T|\n== in a template ==\n}}\n== B ==\nb\n= C =\nc"
    expected = {
        "0": "Lead <!--\n== not a heading ==\n-->\n",
        "1": "== A ==\n{{T|\n== in a template ==\n}}\n",
        "3": "== B ==\nb\n",
        "4": "= C =\nc",
    }
    for section, span in expected.items():
        await edit(alice, title="Page", text=page)
        await edit(alice, title="Page", section=section, text="NEW")
        start = page.index(span)
        assert await content(alice, "Page") == (page[:start] + "NEW\n\n" + page[start + len(span):]).rstrip()


async def test_sections_that_do_not_exist_or_are_malformed_are_refused(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text=PAGE)
    for section in ("x", "", " 1", "-1"):
        assert (await edit(alice, title="Page", section=section, text="y"))["error"]["code"] == "invalidsection"
    refused = await edit(alice, title="Page", section="9", text="y")
    assert refused["error"]["code"] == "nosuchsection" and "9" in refused["error"]["info"]
    assert (await edit(alice, title="Page", section="9", appendtext="y"))["error"]["code"] == "nosuchsection"
    assert (await edit(alice, title="Missing", section="1", text="y"))["error"]["code"] == "nosuchsection"
    assert (await edit(alice, title="Missing", section="00", text="y"))["error"]["code"] == "nosuchsection"
    assert await content(alice, "Page") == PAGE
    assert (await edit(alice, title="Missing", section="0", text="lead"))["edit"]["new"] == ""
    assert await content(alice, "Missing") == "lead"


async def test_new_section_takes_its_heading_from_the_summary_when_untitled(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Talk", text="intro")
    await edit(alice, title="Talk", section="new", summary="Question", text="Why?")
    assert await content(alice, "Talk") == "intro\n\n== Question ==\n\nWhy?"
    await edit(alice, title="Talk", section="new", sectiontitle="Titled", summary="my summary", text="Body")
    assert await content(alice, "Talk") == "intro\n\n== Question ==\n\nWhy?\n\n== Titled ==\n\nBody"
    history = (await alice.get(action="query", prop="revisions", titles="Talk", rvprop="comment", rvlimit="2",
                               formatversion="2")).json()
    comments = [revision["comment"] for revision in history["query"]["pages"][0]["revisions"]]
    assert comments == ["my summary", "/* Question */ new section"]
    assert (await edit(alice, title="Talk", section="new", text="  "))["error"]["code"] == "missingcommenttext"


async def test_saved_text_loses_trailing_whitespace_as_in_mediawiki(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Page", text="body  \n\n")
    assert await content(alice, "Page") == "body"
    assert "nochange" in (await edit(alice, title="Page", text="body \n"))["edit"]


async def test_signatures_are_expanded_and_line_endings_normalised_on_save(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Talk:Signed", text="Hi ~~~~\r\n<nowiki>~~~</nowiki> ~~~~~\r\n")
    assert await content(alice, "Talk:Signed") == (
        "Hi [[User:Alice|Alice]] ([[User talk:Alice|talk]]) 14:13, 21 September 2026 (UTC)\n"
        "<nowiki>~~~</nowiki> 14:13, 21 September 2026 (UTC)")


async def test_a_creation_is_logged_and_summarised_when_no_summary_is_given(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Fresh page", text="Body ~~~~")
    await edit(alice, title="Fresh page", text="#REDIRECT [[Elsewhere#Top]]")
    await edit(alice, title="Summarised", text="x", summary="my words")
    history = (await alice.get(action="query", prop="revisions", titles="Fresh page", rvprop="comment",
                               rvlimit="2", formatversion="2")).json()["query"]["pages"][0]["revisions"]
    assert [r["comment"] for r in history] == ["Redirected page to [[Elsewhere#Top]]",
                                               'Created page with "Body ~~~~"']
    log = (await alice.get(action="query", list="logevents", letype="create", formatversion="2")).json()
    assert [(e["title"], e["action"], e["comment"], e["logpage"], e["params"]) for e in log["query"]["logevents"]] == [
        ("Summarised", "create", "my words", 2, {}), ("Fresh page", "create", 'Created page with "Body ~~~~"', 1, {})]


async def test_a_page_saved_as_a_redirect_is_flagged_one(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Pointer", text="#REDIRECT [[Target]]")
    await edit(alice, title="Plain", text="Not #REDIRECT [[Target]]")

    async def flagged(title: str) -> bool:
        body = (await alice.get(action="query", prop="info", titles=title, formatversion="2")).json()
        return bool(body["query"]["pages"][0].get("redirect"))

    assert await flagged("Pointer") and not await flagged("Plain")
    await edit(alice, title="Pointer", text="Now an article")
    assert not await flagged("Pointer")


async def test_undo_merges_around_later_edits_or_refuses(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    await edit(alice, title="Undone", text="Title\n\nFoo", createonly="1")
    second = (await edit(alice, title="Undone", text="Title\n\nFoo changed"))["edit"]["newrevid"]
    await edit(alice, title="Undone", text="New title\n\nFoo changed")
    # The second revision's change is taken back; the third's, on another line, stays.
    assert (await edit(alice, title="Undone", undo=str(second)))["edit"]["result"] == "Success"
    assert await content(alice, "Undone") == "New title\n\nFoo"
    history = (await alice.get(action="query", prop="revisions", titles="Undone", rvprop="comment",
                               formatversion="2")).json()["query"]["pages"][0]["revisions"]
    assert history[0]["comment"] == (f"Undo revision {second} by [[Special:Contributions/Alice|Alice]] "
                                     "([[User talk:Alice|talk]])")
    clash = (await edit(alice, title="Undone", text="Changed title\n\nFoo"))["edit"]["newrevid"]
    await edit(alice, title="Undone", text="Rewritten title\n\nFoo")
    assert (await edit(alice, title="Undone", undo=str(clash)))["error"]["code"] == "undofailure"
    await edit(alice, title="Elsewhere", text="x")
    wrong = await edit(alice, title="Elsewhere", undo=str(second))
    assert wrong["error"]["code"] == "revwrongpage"
