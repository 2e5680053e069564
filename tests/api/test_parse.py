"""action=parse for what needs no rendering: wikitext, sections, revision id and display title."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def test_a_pages_sections_and_wikitext(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    text = "Lead\n== A & B ==\nx\n=== [[Target|Shown]] ===\ny\n== A & B ==\nz"
    saved = (await alice.post(action="edit", title="Talk:Parsed", text=text, token=await alice.token())).json()
    body = (await alice.get(action="parse", page="Talk:Parsed", prop="wikitext|sections|revid|displaytitle",
                            formatversion="2")).json()["parse"]
    assert (body["title"], body["revid"], body["wikitext"], body["showtoc"]) == (
        "Talk:Parsed", saved["edit"]["newrevid"], text, False)
    assert [(s["toclevel"], s["number"], s["line"], s["anchor"], s["byteoffset"]) for s in body["sections"]] == [
        (1, "1", "A & B", "A_&_B", 5), (2, "1.1", "Shown", "Shown", 19), (1, "2", "A & B", "A_&_B_2", 46)]
    assert body["displaytitle"].endswith('<span class="mw-page-title-main">Parsed</span>')
    section = (await alice.get(action="parse", page="Talk:Parsed", prop="wikitext", section="2",
                               formatversion="2")).json()["parse"]["wikitext"]
    assert section == "=== [[Target|Shown]] ===\ny"


async def test_rendering_is_refused_by_name(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    refused = (await alice.get(action="parse", text="Hello", prop="text|wikitext", errorformat="plaintext",
                               formatversion="2")).json()
    assert refused["errors"][0]["code"] == "unsupportedprop" and "text" in refused["errors"][0]["text"]
