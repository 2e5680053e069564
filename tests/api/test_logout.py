"""action=logout: the session ends on the server, cookies expire (transcript-1.39.md §i)."""

from __future__ import annotations

from tests.conftest import Api


async def test_logout_destroys_the_session(api: Api, new_api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    await api.login("Alice", "AlicePassword-1234")
    old_session = api.client.cookies["wikigate_session"]
    response = await api.post(action="logout", token=await api.token("csrf"))
    assert response.json() == {}
    cookies = response.headers.get_list("set-cookie")
    # Only cookies the client holds are expired: no remember-me, so no Token cookie.
    assert not any(c.startswith("wikigateToken=") for c in cookies)
    for name in ("wikigate_session", "wikigateUserID"):
        assert any(c.startswith(f"{name}=deleted") and "Max-Age=0" in c for c in cookies), name
    assert (await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"] == 0
    # Replaying the old session cookie no longer works either.
    replay = new_api()
    replay.client.cookies.set("wikigate_session", old_session)
    assert (await replay.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"] == 0


async def test_old_csrf_token_dies_with_the_session(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    await api.login("Alice", "AlicePassword-1234")
    token = await api.token("csrf")
    await api.post(action="logout", token=token)
    assert (await api.post(action="logout", token=token)).json()["error"]["code"] == "badtoken"


async def test_bot_password_logout_only_drops_its_cookie(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Admin", "AdminPassword-1234", groups=("sysop",))
    _, password = await services.login.create_bot_password("Admin", "oracle", grants=["editpage"], restrictions=[])
    token = await api.token("login")
    await api.post(action="login", lgname="Admin@oracle", lgpassword=password, lgtoken=token)
    response = await api.post(action="logout", token=await api.token("csrf"))
    assert response.json() == {}
    assert [c.split(";")[0] for c in response.headers.get_list("set-cookie")] == ["wikigate_BPsession=deleted"]
    assert (await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"] == 0


async def test_logout_needs_a_token(api: Api) -> None:
    error = (await api.post(action="logout")).json()["error"]
    assert error["code"] == "missingparam" and error["info"] == 'The "token" parameter must be set.'
