"""meta=userinfo for anonymous and logged-in users."""

from __future__ import annotations

from tests.conftest import Api


async def test_anonymous_user_is_named_by_ip(api: Api) -> None:
    info = (await api.get(action="query", meta="userinfo", uiprop="groups|rights")).json()["query"]["userinfo"]
    assert info["id"] == 0 and info["name"] == "127.0.0.1" and info["anon"] == ""
    assert info["groups"] == ["*"]
    assert info["rights"][:3] == ["createaccount", "read", "edit"]


async def test_every_uiprop_for_a_logged_in_user(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Mindy", "MindyPassword-1234", groups=("sysop",), email="mindy@example.org")
    assert (await api.login("Mindy", "MindyPassword-1234"))["clientlogin"]["status"] == "PASS"
    info = (await api.get(action="query", meta="userinfo", uiprop="*", formatversion="2")).json()["query"]["userinfo"]
    assert info["id"] == 1 and info["name"] == "Mindy" and "anon" not in info
    assert info["groups"] == ["sysop", "*", "user", "autoconfirmed"]
    assert info["implicitgroups"] == ["*", "user", "autoconfirmed"]
    assert info["groupmemberships"] == [{"group": "sysop", "expiry": "infinity"}]
    assert "protect" in info["rights"] and "editprotected" in info["rights"]
    assert len(info["rights"]) == len(set(info["rights"]))
    assert info["email"] == "mindy@example.org"
    assert info["editcount"] == 0 and info["messages"] is False
    assert info["ratelimits"] == {}  # sysops have noratelimit
    assert info["changeablegroups"] == {"add": [], "remove": [], "add-self": [], "remove-self": []}
    assert "cancreateaccount" not in info  # 1.39 has no such property (uiprop=* leaves it out)
    assert info["registrationdate"].endswith("Z")
    assert info["options"]["editfont"] == "monospace"
    for key in ("realname", "acceptlang", "unreadcount", "centralids", "theoreticalratelimits"):
        assert key in info, key


async def test_bureaucrat_can_change_every_group(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Boss", "BossPassword-1234", groups=("bureaucrat",))
    await api.login("Boss", "BossPassword-1234")
    info = (await api.get(action="query", meta="userinfo", uiprop="changeablegroups")).json()["query"]["userinfo"]
    assert "sysop" in info["changeablegroups"]["add"] and "*" not in info["changeablegroups"]["add"]


async def test_expired_group_no_longer_counts(api: Api, make_user, services, clock) -> None:  # type: ignore[no-untyped-def]
    record = await make_user("Temp", "TempPassword-1234")
    await services.accounts.change_groups(record, None, add={"sysop": clock.now() + 60}, remove=[],
                                          addable={"sysop"}, removable=(), now=clock.now())
    await api.login("Temp", "TempPassword-1234")
    groups = lambda body: body["query"]["userinfo"]["groups"]  # noqa: E731
    assert "sysop" in groups((await api.get(action="query", meta="userinfo", uiprop="groups")).json())
    clock.advance(61)
    assert "sysop" not in groups((await api.get(action="query", meta="userinfo", uiprop="groups")).json())


async def test_ratelimits_for_a_plain_user(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    await api.login("Alice", "AlicePassword-1234")
    limits = (await api.get(action="query", meta="userinfo", uiprop="ratelimits")).json()["query"]["userinfo"]["ratelimits"]
    assert limits["edit"]["user"] == {"hits": 90, "seconds": 60}
