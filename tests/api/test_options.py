"""action=options with meta=userinfo&uiprop=options: preferences set, refused and reset as in MediaWiki."""

from __future__ import annotations

from typing import Any

from tests.helpers import logged_in


async def options(api: Any) -> dict[str, Any]:
    body = (await api.get(action="query", meta="userinfo", uiprop="options", formatversion="2")).json()
    return dict(body["query"]["userinfo"]["options"])


async def test_preferences_change_unknown_ones_are_refused_and_reset_restores(new_api: Any, services: Any) -> None:
    alice = await logged_in(new_api, services, "Alice")
    token = await alice.token()
    assert (await options(alice))["date"] == "default"
    done = (await alice.post(action="options", change="date=dmy|userjs-api-test=Hello World|api-test-yadda=1|"
                                                      "editfont=comic", token=token, formatversion="2")).json()
    assert done["options"] == "success"
    assert [w["warnings"] for w in done["warnings"].values()] == [
        "api-test-yadda was not set: there is no such preference.\n"
        "editfont was not set: that value is not one of the choices."]
    found = await options(alice)
    assert (found["date"], found["userjs-api-test"], found["editfont"]) == ("dmy", "Hello World", "monospace")
    assert "api-test-yadda" not in found
    await alice.post(action="options", reset="1", token=token)
    assert (await options(alice))["date"] == "default" and "userjs-api-test" not in await options(alice)
    nothing = (await alice.post(action="options", token=token)).json()
    assert nothing["error"]["code"] == "nochanges"
    anonymous = (await new_api().post(action="options", change="date=dmy", token="+\\")).json()
    assert anonymous["error"]["code"] == "notloggedin"
