"""list=usercontribs: each user's edits with MediaWiki's filters (the conformance set compares the details)."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def contribs(api: Any, **params: Any) -> list[tuple[str, str, bool, bool]]:
    body = (await api.get(action="query", list="usercontribs", formatversion="2", **params)).json()
    return [(c["user"], c["title"], c["new"], c["top"]) for c in body["query"]["usercontribs"]]


async def test_contributions_of_several_users_with_filters(new_api: Any, services: Any, clock: Any) -> None:
    fiona = await logged_in(new_api, services, "Fiona")
    franky = await logged_in(new_api, services, "Franky")
    for api, title, text in ((fiona, "X", "one"), (franky, "Talk:Y", "one"), (fiona, "Talk:Y", "two"),
                             (franky, "X", "two")):
        clock.advance(1)
        await api.post(action="edit", title=title, text=text, token=await api.token())
    # User by user, the latest account first (MediaWiki goes actor by actor), each newest first.
    assert await contribs(fiona, ucuser="Fiona|Franky") == [
        ("Franky", "X", False, True), ("Franky", "Talk:Y", True, False),
        ("Fiona", "Talk:Y", False, True), ("Fiona", "X", True, False)]
    assert await contribs(fiona, ucuser="Fiona|Franky", ucnamespace="1", ucshow="!new") == [
        ("Fiona", "Talk:Y", False, True)]
    assert await contribs(fiona, ucuser="Franky", uctoponly="1") == [("Franky", "X", False, True)]
    page = (await fiona.get(action="query", list="usercontribs", ucuser="Fiona|Franky", uclimit="3")).json()
    rest = await contribs(fiona, ucuser="Fiona|Franky", uccontinue=page["continue"]["uccontinue"])
    assert rest == [("Fiona", "X", True, False)]
    missing = (await fiona.get(action="query", list="usercontribs")).json()
    assert missing["error"]["code"] == "missingparam"
