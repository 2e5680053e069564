"""list=protectedtitles: unexpired create protections, with filters and continuation."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def protect_titles(new_api: Any, services: Any, clock: Any) -> Any:
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    for name, level, expiry in (("Alpha", "sysop", "infinite"), ("Talk:Beta", "autoconfirmed", "1 day"),
                                ("Gamma", "autoconfirmed", "2 hours")):
        await mindy.post(action="protect", title=name, protections=f"create={level}", expiry=expiry,
                         reason=f"why {name}", token=token)
        clock.advance(10)
    return mindy


async def test_default_props_newest_first(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)
    body = (await mindy.get(action="query", list="protectedtitles")).json()
    assert body == {"batchcomplete": "", "query": {"protectedtitles": [
        {"ns": 0, "title": "Gamma", "timestamp": "2026-09-21T14:13:40Z", "level": "autoconfirmed"},
        {"ns": 1, "title": "Talk:Beta", "timestamp": "2026-09-21T14:13:30Z", "level": "autoconfirmed"},
        {"ns": 0, "title": "Alpha", "timestamp": "2026-09-21T14:13:20Z", "level": "sysop"}]}}


async def test_all_props_and_filters(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)
    body = (await mindy.get(action="query", list="protectedtitles", ptnamespace="0", ptlevel="autoconfirmed",
                            ptprop="timestamp|user|userid|comment|parsedcomment|expiry|level",
                            formatversion="2")).json()
    assert body["query"]["protectedtitles"] == [{
        "ns": 0, "title": "Gamma", "timestamp": "2026-09-21T14:13:40Z", "user": "Mindy", "userid": 1,
        "comment": "why Gamma", "parsedcomment": "why Gamma", "expiry": "2026-09-21T16:13:40Z",
        "level": "autoconfirmed"}]
    infinite = (await mindy.get(action="query", list="protectedtitles", ptlevel="sysop", ptprop="expiry")).json()
    assert infinite["query"]["protectedtitles"][0]["expiry"] == "infinity"


async def test_continuation_and_direction(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)
    first = (await mindy.get(action="query", list="protectedtitles", ptlimit="2", ptdir="newer")).json()
    assert [t["title"] for t in first["query"]["protectedtitles"]] == ["Alpha", "Talk:Beta"]
    assert first["continue"] == {"ptcontinue": "20260921141340|0|Gamma", "continue": "-||"}
    rest = (await mindy.get(action="query", list="protectedtitles", ptlimit="2", ptdir="newer",
                            ptcontinue=first["continue"]["ptcontinue"])).json()
    assert [t["title"] for t in rest["query"]["protectedtitles"]] == ["Gamma"] and "continue" not in rest
    bad = (await mindy.get(action="query", list="protectedtitles", ptcontinue="garbage")).json()
    assert bad["error"]["code"] == "badcontinue"


async def test_expired_entries_vanish_at_their_instant(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)  # Gamma expires 2 hours after 14:13:40
    clock.set(1_790_000_000.0 + 20 + 7200 - 1)
    titles = [t["title"] for t in (await mindy.get(action="query", list="protectedtitles")).json()["query"]["protectedtitles"]]
    assert "Gamma" in titles
    clock.advance(1)
    titles = [t["title"] for t in (await mindy.get(action="query", list="protectedtitles")).json()["query"]["protectedtitles"]]
    assert titles == ["Talk:Beta", "Alpha"]
    anonymous = new_api()
    body = (await anonymous.post(action="edit", title="Gamma", text="now allowed", token="+\\")).json()
    assert body["edit"]["new"] == ""


async def test_as_a_generator(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)
    body = (await mindy.get(action="query", generator="protectedtitles", gptlimit="2", prop="info",
                            inprop="protection", formatversion="2")).json()
    # Generated newest first (Gamma -1, Talk:Beta -2); formatversion 2 lists pages by id, as 1.39 does.
    assert [p["title"] for p in body["query"]["pages"]] == ["Talk:Beta", "Gamma"]
    assert body["query"]["pages"][0]["protection"][0]["type"] == "create"
    assert body["continue"]["gptcontinue"] == "20260921141320|0|Alpha"


async def test_continuation_walks_every_title_of_one_second_at_a_real_clocks_fraction(
        new_api: Any, services: Any, clock: Any) -> None:
    # A real clock is never on a whole second; the continuation (in whole seconds) must still
    # name the next row, in both directions, and the batch is complete all along.
    clock.set(1_790_000_000.731)
    mindy = await logged_in(new_api, services, "Mindy", ("sysop",))
    token = await mindy.token()
    for name in ("Help talk:One", "Help talk:Two", "Help talk:Three"):
        await mindy.post(action="protect", title=name, protections="create=sysop", token=token)
    for direction, expected in (("older", ["Help talk:Two", "Help talk:Three", "Help talk:One"]),
                                ("newer", ["Help talk:One", "Help talk:Three", "Help talk:Two"])):
        seen: list[str] = []
        more: dict[str, str] = {}
        for _ in range(5):
            body = (await mindy.get(action="query", list="protectedtitles", ptnamespace="13", ptlimit="1",
                                    ptdir=direction, **more)).json()
            assert body["batchcomplete"] == ""
            seen += [t["title"] for t in body["query"]["protectedtitles"]]
            if "continue" not in body:
                break
            more = body["continue"]
        assert seen == expected


async def test_limit_max_is_reported_under_the_module_name(new_api: Any, services: Any, clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)
    body = (await mindy.get(action="query", list="protectedtitles", ptlimit="max")).json()
    assert body["limits"] == {"protectedtitles": 5000}  # a sysop has apihighlimits


async def test_unknown_namespaces_in_the_list_are_dropped_with_a_warning(new_api: Any, services: Any,
                                                                         clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)
    body = (await mindy.get(action="query", list="protectedtitles", ptnamespace="1|99999|x")).json()
    assert [t["title"] for t in body["query"]["protectedtitles"]] == ["Talk:Beta"]
    assert body["warnings"]["protectedtitles"]["*"] == 'Unrecognized values for parameter "ptnamespace": 99999, x'


async def test_the_continue_value_says_what_is_done_as_mediawiki_writes_it(new_api: Any, services: Any,
                                                                        clock: Any) -> None:
    mindy = await protect_titles(new_api, services, clock)
    listing = (await mindy.get(action="query", list="protectedtitles", ptlimit="1", meta="tokens")).json()
    assert listing["continue"]["continue"] == "-||tokens"  # the pages are done, and so is tokens
    generated = (await mindy.get(action="query", generator="protectedtitles", gptlimit="1", prop="info",
                                 meta="tokens")).json()
    # The generator goes on, so info must run again on its next pages; tokens is done.
    assert generated["continue"]["continue"] == "gptcontinue||tokens"
