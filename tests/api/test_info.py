"""prop=info (with inprop=protection), prop=revisions and generators, as MediaWiki 1.39 shows them."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.helpers import logged_in


async def mindy_with_main_page(new_api: Any, services: Any) -> Any:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    await mindy.post(action="edit", title="Main Page", text="x" * 755, token=await mindy.token())
    await mindy.post(action="protect", title="Main_Page", protections="edit=autoconfirmed|move=sysop",
                     token=await mindy.token())
    return mindy


async def test_protection_fv1_as_transcript_43(new_api: Any, services: Any) -> None:
    mindy = await mindy_with_main_page(new_api, services)
    body = (await mindy.get(action="query", prop="info", inprop="protection", titles="Main_Page")).json()
    assert body == {"batchcomplete": "", "query": {
        "normalized": [{"from": "Main_Page", "to": "Main Page"}],
        "pages": {"1": {
            "pageid": 1, "ns": 0, "title": "Main Page", "contentmodel": "wikitext", "pagelanguage": "en",
            "pagelanguagehtmlcode": "en", "pagelanguagedir": "ltr", "touched": "2026-09-21T14:13:20Z",
            "lastrevid": 2, "length": 755,
            "protection": [{"type": "edit", "level": "autoconfirmed", "expiry": "infinity"},
                           {"type": "move", "level": "sysop", "expiry": "infinity"}],
            "restrictiontypes": ["edit", "move"]}}}}


async def test_protection_fv2_and_missing_title(new_api: Any, services: Any) -> None:
    mindy = await mindy_with_main_page(new_api, services)
    await mindy.post(action="protect", title="Oracle protected missing page", protections="create=sysop",
                     expiry="1 week", token=await mindy.token())
    body = (await mindy.get(action="query", prop="info", inprop="protection", formatversion="2",
                            titles="Main Page|Oracle protected missing page|File:X.png")).json()
    pages = {page["title"]: page for page in body["query"]["pages"]}
    assert pages["Main Page"]["protection"][1] == {"type": "move", "level": "sysop", "expiry": "infinity"}
    missing = pages["Oracle protected missing page"]
    assert missing["missing"] is True and "touched" not in missing
    assert missing["protection"] == [{"type": "create", "level": "sysop", "expiry": "2026-09-28T14:13:20Z"}]
    assert missing["restrictiontypes"] == ["create"]
    assert pages["File:X.png"]["restrictiontypes"] == ["create", "upload"]


async def test_cascade_and_its_source(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    await mindy.post(action="edit", title="Front", text="{{Box}}", token=token)
    await mindy.post(action="edit", title="Template:Box", text="box", token=token)
    await mindy.post(action="protect", title="Front", protections="edit=sysop", cascade="1", token=token)
    body = (await mindy.get(action="query", prop="info", inprop="protection", titles="Front|Template:Box",
                            formatversion="2")).json()
    pages = {page["title"]: page for page in body["query"]["pages"]}
    assert pages["Front"]["protection"] == [{"type": "edit", "level": "sysop", "expiry": "infinity", "cascade": True}]
    assert pages["Template:Box"]["protection"] == [
        {"type": "edit", "level": "sysop", "expiry": "infinity", "source": "Front"}]


async def test_other_inprops(new_api: Any, services: Any) -> None:
    mindy = await mindy_with_main_page(new_api, services)
    await mindy.post(action="edit", title="Talk:Main Page", text="t", token=await mindy.token())
    body = (await mindy.get(action="query", prop="info", titles="Main Page|Talk:Main Page|Special:Foo",
                            inprop="talkid|subjectid|associatedpage|url|watched|displaytitle|preload",
                            formatversion="2")).json()
    pages = {page["title"]: page for page in body["query"]["pages"]}
    main = pages["Main Page"]
    assert main["talkid"] == 2 and main["associatedpage"] == "Talk:Main Page" and main["watched"] is True
    assert main["fullurl"] == "http://wiki.test/w/index.php/Main_Page"
    assert main["editurl"] == "http://wiki.test/w/index.php?title=Main_Page&action=edit"
    assert main["preload"] == "" and main["displaytitle"] == "Main Page"
    assert pages["Talk:Main Page"]["subjectid"] == 1 and pages["Talk:Main Page"]["new"] is True
    assert pages["Special:Foo"]["special"] is True


async def test_revisions_for_mwn_and_pywikibot(new_api: Any, services: Any) -> None:
    mindy = await mindy_with_main_page(new_api, services)
    body = (await mindy.get(action="query", prop="revisions", titles="Main Page", rvprop="content|timestamp",
                            rvslots="main", curtimestamp="1", formatversion="2")).json()
    revision = body["query"]["pages"][0]["revisions"][0]
    assert body["curtimestamp"] == "2026-09-21T14:13:20Z"
    assert revision == {"timestamp": "2026-09-21T14:13:20Z", "slots": {"main": {
        "contentmodel": "wikitext", "contentformat": "text/x-wiki", "content": "x" * 755}}}
    full = (await mindy.post(action="query", prop="info|revisions", titles="Main Page|Missing one", rvslots="*",
                             rvprop="comment|contentmodel|flags|ids|parsedcomment|sha1|size|tags|timestamp|user|userid|content|roles")).json()
    pages = full["query"]["pages"]
    assert pages["-1"]["missing"] == ""
    latest = pages["1"]["revisions"][0]
    assert latest["revid"] == 2 and latest["parentid"] == 1 and latest["minor"] == "" and latest["userid"] == 1
    assert latest["sha1"] == hashlib.sha1(b"x" * 755).hexdigest()
    assert latest["slots"]["main"]["*"] == "x" * 755 and latest["roles"] == ["main"]
    legacy = (await mindy.get(action="query", prop="revisions", titles="Main Page", rvprop="content")).json()
    assert legacy["query"]["pages"]["1"]["revisions"][0]["*"] == "x" * 755
    assert "rvslots" in legacy["warnings"]["revisions"]["*"]


async def test_revision_history_continues(new_api: Any, services: Any) -> None:
    mindy = await mindy_with_main_page(new_api, services)
    first = (await mindy.get(action="query", prop="revisions", titles="Main Page", rvlimit="1", rvdir="newer")).json()
    assert first["continue"]["rvcontinue"] == "20260921141320|2"
    assert first["query"]["pages"]["1"]["revisions"][0]["revid"] == 1
    second = (await mindy.get(action="query", prop="revisions", titles="Main Page", rvlimit="1", rvdir="newer",
                              rvcontinue="20260921141320|2")).json()
    assert second["query"]["pages"]["1"]["revisions"][0]["revid"] == 2 and "continue" not in second
    await mindy.post(action="edit", title="Other", text="o", token=await mindy.token())
    both = (await mindy.get(action="query", prop="revisions", titles="Main Page|Other", rvlimit="1")).json()
    assert both["error"]["code"] == "invalidparammix"


async def test_templates_as_a_generator(new_api: Any, services: Any) -> None:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    await mindy.post(action="edit", title="Front", text="{{Box}} {{Missing}}", token=token)
    await mindy.post(action="edit", title="Template:Box", text="box", token=token)
    body = (await mindy.post(action="query", titles="Front", prop="info", inprop="protection", generator="templates",
                             gtllimit="5000", indexpageids="")).json()
    pages = body["query"]["pages"]
    assert sorted(page["title"] for page in pages.values()) == ["Template:Box", "Template:Missing"]
    assert body["query"]["pageids"] == ["-1", "2"]  # missing pages first, as in MediaWiki
    empty = (await mindy.get(action="query", titles="Template:Box", generator="templates", prop="info")).json()
    assert empty == {"batchcomplete": ""}
    paraminfo = (await mindy.get(action="paraminfo", modules="query+templates")).json()
    module = paraminfo["paraminfo"]["modules"][0]
    assert module["prefix"] == "tl" and "generator" in module
