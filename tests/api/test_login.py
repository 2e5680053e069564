"""action=login: NeedToken, WrongToken, bot passwords, main-account login (transcript-1.39.md §h, §k)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

WRONG = "Incorrect username or password entered. Please try again."


async def login(api: Api, name: str, password: str, **extra: Any) -> dict[str, Any]:
    token = await api.token("login")
    return dict((await api.post(action="login", lgname=name, lgpassword=password, lgtoken=token, **extra)).json())


async def admin_with_bot(services, make_user, **options: Any) -> str:  # type: ignore[no-untyped-def]
    await make_user("Admin", "AdminPassword-1234", groups=("sysop", "bureaucrat", "interface-admin"))
    _, password = await services.login.create_bot_password("Admin", "oracle",
                                                           grants=["protect", "editpage", "editprotected"], **options)
    return password


async def test_without_token_needs_one(api: Api) -> None:
    body = (await api.post(action="login", lgname="Admin@oracle", lgpassword="x" * 32)).json()
    assert body["login"]["result"] == "NeedToken"
    assert body["login"]["token"] == await api.token("login")
    assert body["warnings"]["login"]["*"].startswith("Fetching a token via ")
    assert "mediawiki-api-announce" in body["warnings"]["main"]["*"]


async def test_wrong_token(api: Api) -> None:
    await api.token("login")
    body = (await api.post(action="login", lgname="A", lgpassword="b", lgtoken="0" * 40 + "+\\")).json()
    assert body == {"login": {"result": "WrongToken"}}


async def test_token_without_a_session_is_a_lost_session(api: Api) -> None:
    body = (await api.post(action="login", lgname="A", lgpassword="b", lgtoken="0" * 40 + "+\\")).json()
    assert body["login"] == {"result": "Failed",
                             "reason": "Unable to continue login. Your session most likely timed out."}


async def test_password_must_be_posted(api: Api) -> None:
    error = (await api.post(query={"lgpassword": "x"}, action="login", lgname="A")).json()["error"]
    assert error["code"] == "mustpostparams"


async def test_bot_password_success_limits_rights(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    password = await admin_with_bot(services, make_user)
    response = await api.post(action="login", lgname="Admin@oracle", lgpassword=password,
                              lgtoken=await api.token("login"))
    assert response.json() == {"login": {"result": "Success", "lguserid": 1, "lgusername": "Admin"}}
    assert any(c.startswith("wikigate_BPsession=") for c in response.headers.get_list("set-cookie"))
    info = (await api.get(action="query", meta="userinfo", uiprop="rights")).json()["query"]["userinfo"]
    # MediaWiki 1.39 answers exactly these for grants basic, protect, editpage, editprotected.
    assert info["name"] == "Admin"
    assert info["rights"] == [
        "autopatrol", "protect", "editprotected", "unwatchedpages", "autoconfirmed", "editsemiprotected",
        "ipblock-exempt", "read", "edit", "writeapi", "minoredit", "purge", "applychangetags", "changetags",
        "editcontentmodel",
    ]


async def test_wrong_bot_password_fails_like_a_wrong_password(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    await admin_with_bot(services, make_user)
    assert (await login(api, "Admin@oracle", "x" * 32))["login"] == {"result": "Failed", "reason": WRONG}
    assert (await login(api, "Admin@nosuchapp", "x" * 32))["login"] == {"result": "Failed", "reason": WRONG}


async def test_bot_password_outside_its_ip_ranges(api: Api, new_api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    password = await admin_with_bot(services, make_user, restrictions=["10.0.0.0/8"])
    assert (await login(api, "Admin@oracle", password))["login"]["result"] == "Failed"
    assert (await login(new_api(ip="10.1.2.3"), "Admin@oracle", password))["login"]["result"] == "Success"


async def test_password_change_voids_bot_passwords(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    password = await admin_with_bot(services, make_user)
    await services.accounts.change_password(await services.accounts.require("Admin"), "Another-passw0rd!")
    assert (await login(api, "Admin@oracle", password))["login"] == {
        "result": "Failed", "reason": 'The bot password for bot name "oracle" of user "Admin" must be reset.'}


async def test_main_account_login_is_deprecated_but_works(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    token = await api.token("login")
    response = await api.post(action="login", lgname="Alice", lgpassword="AlicePassword-1234", lgtoken=token)
    body = response.json()
    assert body["login"] == {"result": "Success", "lguserid": 1, "lgusername": "Alice"}
    assert body["warnings"]["login"]["*"] == (
        'Main-account login via "action=login" is deprecated and may stop working without warning. To continue '
        'login with "action=login", see [[Special:BotPasswords]]. To safely continue using main-account login, '
        'see "action=clientlogin".')
    # Like MediaWiki, the old module always remembers the login.
    assert any(c.startswith("wikigateToken=") for c in response.headers.get_list("set-cookie"))


async def test_main_account_failure_has_a_reason(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    assert (await login(api, "Alice", "wrong"))["login"] == {"result": "Failed", "reason": WRONG}


async def test_reason_in_other_error_formats(api: Api) -> None:
    plain = (await login(api, "Nobody", "x", errorformat="plaintext", formatversion="2"))["login"]["reason"]
    assert plain == {"code": "wrongpassword", "text": WRONG}
    raw = (await login(api, "Nobody", "x", errorformat="raw"))["login"]["reason"]
    assert raw == {"code": "wrongpassword", "key": "wrongpassword", "params": []}


async def test_two_factor_account_is_aborted(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Mindy", "MindyPassword-1234")
    await services.login.enable_two_factor("Mindy")
    body = await login(api, "Mindy", "MindyPassword-1234")
    assert body["login"] == {
        "result": "Aborted",
        "reason": 'Authentication requires user interaction, which is not supported by "action=login". To be able '
                  'to login with "action=login", see [[Special:BotPasswords]]. To continue using main-account '
                  'login, see "[[Special:ApiHelp/clientlogin|action=clientlogin]]".',
    }
    assert (await api.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"] == 0


async def test_throttled_bot_password(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    password = await admin_with_bot(services, make_user)
    for _ in range(5):
        await login(api, "Admin@oracle", "a" * 32)
    reason = (await login(api, "Admin@oracle", password))["login"]["reason"]
    assert reason == "You have made too many recent login attempts. Please wait 5 minutes before trying again."


async def test_bot_session_cannot_log_in_again(api: Api, services, make_user) -> None:  # type: ignore[no-untyped-def]
    password = await admin_with_bot(services, make_user)
    await login(api, "Admin@oracle", password)
    body = await login(api, "Admin@oracle", password)
    assert body["login"]["result"] == "Aborted"
