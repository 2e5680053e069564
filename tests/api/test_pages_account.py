"""The account pages through HTTP, as a browser without scripts sends them: logging in step by step
(password, two-factor code, a temporary password's change), logging out, resetting and changing a
password, creating an account; the page and the API share one login; no form works without its
session's token, no answer may be framed, and no message tells whether an account exists."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx
import pyotp
import pytest

from wikigate.config import Settings

LOGIN = "/w/index.php/Special:UserLogin"


@pytest.fixture
def settings(settings: Settings, smtp_server: Any) -> Settings:
    return smtp_server.route(settings)


def form_token(page: httpx.Response) -> str:
    found = re.search(r'name="wpEditToken" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def shown_error(page: httpx.Response) -> str:
    found = re.search(r'<p class="error" role="alert">([^<]*)</p>', page.text)
    return found.group(1) if found else ""


async def who(client: httpx.AsyncClient) -> str:
    answer = await client.get("/w/api.php", params={"action": "query", "meta": "userinfo", "format": "json"})
    return str(answer.json()["query"]["userinfo"]["name"])


async def log_in(client: httpx.AsyncClient, name: str, password: str, **extra: str) -> httpx.Response:
    token = form_token(await client.get(LOGIN))
    return await client.post(LOGIN, data={"wpEditToken": token, "username": name, "password": password, **extra})


async def test_logging_in_on_the_page_logs_the_api_client_in_and_returns_where_asked(
        client: httpx.AsyncClient, make_user: Any) -> None:
    await make_user("Paula", "Paula-password-1")
    page = await client.get(LOGIN, params={"returnto": "Sandbox"})
    assert page.status_code == 200 and 'name="password"' in page.text and 'name="rememberMe"' in page.text
    done = await client.post(LOGIN, data={"wpEditToken": form_token(page), "username": "Paula",
                                          "password": "Paula-password-1", "returnto": "Sandbox"})
    assert (done.status_code, done.headers["location"]) == (303, "/w/index.php/Sandbox")
    assert await who(client) == "Paula"


@pytest.mark.parametrize("returnto", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                      "javascript:alert(1)", "Special:Nonsense|<>"])
async def test_returnto_never_leaves_the_wiki(client: httpx.AsyncClient, make_user: Any, returnto: str) -> None:
    await make_user("Paula", "Paula-password-1")
    done = await log_in(client, "Paula", "Paula-password-1", returnto=returnto)
    where = urlsplit(done.headers["location"])
    # At most a title of this wiki (javascript:alert(1) is one), never another site.
    assert (where.scheme, where.netloc) == ("", "") and where.path.startswith("/w/index.php/")
    assert "evil.example" not in done.headers["location"]


async def test_a_form_without_its_sessions_token_changes_nothing(client: httpx.AsyncClient, make_user: Any) -> None:
    await make_user("Paula", "Paula-password-1")
    forged = await client.post(LOGIN, data={"wpEditToken": "0123456789abcdef+\\", "username": "Paula",
                                            "password": "Paula-password-1"})
    assert forged.status_code == 400 and "session seems to have ended" in shown_error(forged)
    assert await who(client) != "Paula"


async def test_a_wrong_password_and_an_unknown_name_read_the_same(client: httpx.AsyncClient, make_user: Any) -> None:
    await make_user("Paula", "Paula-password-1")
    wrong = shown_error(await log_in(client, "Paula", "not-her-password"))
    unknown = shown_error(await log_in(client, "Nobody Here", "not-her-password"))
    assert wrong and wrong == unknown


async def test_a_two_factor_login_asks_for_the_code_then_logs_in(client: httpx.AsyncClient, make_user: Any,
                                                                 services: Any, clock: Any) -> None:
    await make_user("Otto", "Otto-password-1")
    secret = (await services.login.enable_two_factor("Otto")).secret
    step = await log_in(client, "Otto", "Otto-password-1")
    assert 'name="OATHToken"' in step.text and 'name="wpContinue" value="1"' in step.text
    assert await who(client) != "Otto"
    done = await client.post(LOGIN, data={"wpEditToken": form_token(step), "wpContinue": "1",
                                          "OATHToken": pyotp.TOTP(secret).at(clock.now())})
    assert done.status_code == 303 and await who(client) == "Otto"


async def test_a_temporary_password_must_be_replaced_at_login(client: httpx.AsyncClient, make_user: Any,
                                                              smtp_server: Any, runtime: Any) -> None:
    await make_user("Resa", "Resa-password-1", email="resa@example.org")
    page = await client.get("/w/index.php/Special:PasswordReset")
    sent = await client.post("/w/index.php/Special:PasswordReset",
                             data={"wpEditToken": form_token(page), "wpUsername": "Resa"})
    assert "a mail with a temporary password is on its way" in sent.text
    await runtime.mailer.drain()
    [message] = smtp_server.messages
    body = message.get_content()
    assert "/w/index.php/Special:UserLogin" in body
    temporary = re.search(r"Temporary password: (\S+)", body).group(1)  # type: ignore[union-attr]
    step = await log_in(client, "Resa", temporary)
    assert 'name="retype"' in step.text
    done = await client.post(LOGIN, data={"wpEditToken": form_token(step), "wpContinue": "1",
                                          "password": "Resa-new-password-2", "retype": "Resa-new-password-2"})
    assert done.status_code == 303 and await who(client) == "Resa"
    async with httpx.AsyncClient(transport=client._transport, base_url="http://wiki.test") as other:  # noqa: SLF001
        assert (await log_in(other, "Resa", "Resa-new-password-2")).status_code == 303


async def test_a_reset_reads_the_same_for_an_unknown_name_and_sends_nothing(
        client: httpx.AsyncClient, smtp_server: Any, runtime: Any) -> None:
    page = await client.get("/w/index.php/Special:PasswordReset")
    sent = await client.post("/w/index.php/Special:PasswordReset",
                             data={"wpEditToken": form_token(page), "wpUsername": "Nobody Here"})
    assert sent.status_code == 200 and "a mail with a temporary password is on its way" in sent.text
    await runtime.mailer.drain()
    assert smtp_server.messages == []
    both = await client.post("/w/index.php/Special:PasswordReset",
                             data={"wpEditToken": form_token(page), "wpUsername": "A", "wpEmail": "a@example.org"})
    assert both.status_code == 400 and shown_error(both) == "Give a user name or an email address, not both."


async def test_logging_out_takes_a_post_with_the_edit_token(client: httpx.AsyncClient, make_user: Any) -> None:
    await make_user("Paula", "Paula-password-1")
    await log_in(client, "Paula", "Paula-password-1")
    confirm = await client.get("/w/index.php/Special:UserLogout")
    assert await who(client) == "Paula"  # a link followed, an image loaded: nothing happens
    refused = await client.post("/w/index.php/Special:UserLogout", data={"wpEditToken": "+\\"})
    assert refused.status_code == 200 and await who(client) == "Paula"
    done = await client.post("/w/index.php/Special:UserLogout", data={"wpEditToken": form_token(confirm)})
    assert done.status_code == 303 and await who(client) != "Paula"


async def test_changing_a_password_needs_a_recent_login_and_ends_other_sessions(
        client: httpx.AsyncClient, make_user: Any, new_api: Any, clock: Any) -> None:
    await make_user("Paula", "Paula-password-1")
    elsewhere = new_api()
    await elsewhere.login("Paula", "Paula-password-1")
    await log_in(client, "Paula", "Paula-password-1", rememberMe="1")
    clock.advance(7200)  # the login is no longer recent
    stale = await client.get("/w/index.php/Special:ChangePassword")
    assert stale.status_code == 303 and stale.headers["location"].startswith(
        "/w/index.php/Special:UserLogin?returnto=Special%3AChangePassword")
    again = await client.get(stale.headers["location"])  # logged in, yet asked for the password again
    back = await client.post(LOGIN, data={"wpEditToken": form_token(again), "username": "Paula",
                                          "password": "Paula-password-1", "returnto": "Special:ChangePassword"})
    assert back.headers["location"] == "/w/index.php/Special:ChangePassword"
    page = await client.get(back.headers["location"])
    mismatch = await client.post("/w/index.php/Special:ChangePassword", data={
        "wpEditToken": form_token(page), "wpPassword": "Paula-new-pass-2", "wpRetype": "Paula-other-pass-3"})
    assert mismatch.status_code == 400 and shown_error(mismatch)
    done = await client.post("/w/index.php/Special:ChangePassword", data={
        "wpEditToken": form_token(page), "wpPassword": "Paula-new-pass-2", "wpRetype": "Paula-new-pass-2"})
    assert "Your password has been changed" in done.text and await who(client) == "Paula"
    assert (await elsewhere.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"] == 0


async def test_creating_an_account_on_the_page_logs_the_new_user_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/w/index.php/Special:CreateAccount")
    made = await client.post("/w/index.php/Special:CreateAccount", data={
        "wpEditToken": form_token(page), "username": "Newcomer", "password": "Newcomer-pass-1",
        "retype": "Newcomer-pass-1"})
    assert "The account Newcomer has been created." in made.text and await who(client) == "Newcomer"


async def test_every_page_forbids_framing_and_scripts(client: httpx.AsyncClient) -> None:
    for path in (LOGIN, "/wiki/Main_Page", "/w/index.php?title=Special:PasswordReset", "/w/index.php/Nowhere"):
        page = await client.get(path)
        assert page.headers["x-frame-options"] == "DENY", path
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "<script" not in page.text


async def test_special_pages_answer_at_every_address_and_alias(client: httpx.AsyncClient) -> None:
    for path in ("/w/index.php?title=Special:UserLogin", "/wiki/Special:UserLogin", "/w/index.php/Special:Login",
                 "/w/index.php/special:userlogin"):
        page = await client.get(path)
        assert page.status_code == 200 and 'name="username"' in page.text, path
    assert (await client.get("/wiki/Special:NoSuchThing")).status_code == 404


async def test_pages_speak_the_uselang_language(client: httpx.AsyncClient) -> None:
    french = await client.get(LOGIN, params={"uselang": "fr"})
    assert '<html lang="fr">' in french.text and "Se connecter" in french.text
    turkish = await client.get(LOGIN, params={"uselang": "tr"})
    assert "Oturum aç" in turkish.text


async def test_a_page_shows_its_text_as_text_its_protection_and_its_history(
        api: Any, client: httpx.AsyncClient, make_user: Any) -> None:
    await make_user("Mindy", "Mindy-password-1", groups=("sysop",))
    await api.login("Mindy", "Mindy-password-1")
    token = await api.token()
    await api.post(action="edit", title="Shown page", text="<script>alert(1)</script> and '''bold'''",
                   summary="first", token=token)
    await api.post(action="protect", title="Shown page", protections="edit=sysop", expiry="infinite", token=token)
    page = await client.get("/wiki/Shown_page")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &#39;&#39;&#39;bold&#39;&#39;&#39;" in page.text
    assert "only users who may sysop can do this until infinity" in page.text
    history = await client.get("/w/index.php", params={"title": "Shown page", "action": "history"})
    assert "Mindy" in history.text and "first" in history.text
    assert (await client.get("/wiki/Not_written_yet")).status_code == 404


async def test_a_bad_bearer_token_on_a_page_is_refused_not_an_internal_error(client: httpx.AsyncClient) -> None:
    page = await client.get(LOGIN, headers={"Authorization": "Bearer not-a-token"})
    assert page.status_code == 401 and page.text == "mwoauth-invalid-authorization"


async def test_an_address_blocked_from_creating_accounts_may_not_send_reset_mail(
        new_api: Any, make_user: Any, services: Any, smtp_server: Any, runtime: Any) -> None:
    from wikigate.services.blocks import BlockRequest, maintenance_performer

    await make_user("Resa", "Resa-password-1", email="resa@example.org")
    await services.blocks.place(maintenance_performer(services.settings),
                                BlockRequest(target="192.0.2.9", no_create=True, reason="Mail bombing"),
                                services.clock.now())
    blocked = new_api(ip="192.0.2.9").client
    page = await blocked.get("/w/index.php/Special:PasswordReset")
    refused = await blocked.post("/w/index.php/Special:PasswordReset",
                                 data={"wpEditToken": form_token(page), "wpUsername": "Resa"})
    assert refused.status_code == 400 and "cannot be used to recover a password" in shown_error(refused)
    await runtime.mailer.drain()
    assert smtp_server.messages == []
