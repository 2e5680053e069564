"""Special:OATHManage and Special:BotPasswords through HTTP: a user turns two-factor on with a code from
the secret the page shows, gets recovery codes once, turns it off with a code; makes, changes, resets
and deletes bot passwords; every change asks for a recent login and the form's token."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pyotp

from tests.api.test_pages_account import form_token, log_in, shown_error

OATH = "/w/index.php/Special:OATHManage"
BOTS = "/w/index.php/Special:BotPasswords"


async def test_two_factor_is_turned_on_with_a_code_from_the_shown_secret_and_off_with_another(
        client: httpx.AsyncClient, make_user: Any, clock: Any, services: Any, new_api: Any) -> None:
    await make_user("Tess", "Tess-password-1")
    await log_in(client, "Tess", "Tess-password-1")
    page = await client.get(OATH)
    assert 'src="data:image/svg+xml' in page.text  # the QR code, drawn inline
    secret = re.search(r'<code id="oath-secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    again = await client.get(OATH)
    assert secret.replace(" ", "") in again.text.replace(" ", "")  # the same secret until it is confirmed
    wrong = await client.post(OATH, data={"wpEditToken": form_token(page), "wpAction": "enable", "wpCode": "000000"})
    assert wrong.status_code == 400 and shown_error(wrong)
    assert not await services.login.is_two_factor_enrolled((await services.accounts.find("Tess")).id)
    code = pyotp.TOTP(secret).at(clock.now())
    done = await client.post(OATH, data={"wpEditToken": form_token(page), "wpAction": "enable", "wpCode": code})
    codes = re.findall(r"<li><code>([A-Z2-7]+)</code></li>", done.text)
    assert "now on" in done.text and len(codes) == 10
    # The code that turned it on cannot also log in: its step is spent.
    other = new_api()
    first = await other.login("Tess", "Tess-password-1")
    assert first["clientlogin"]["status"] == "UI"
    second = (await other.post(action="clientlogin", logincontinue="1", OATHToken=code,
                               logintoken=await other.token("login"))).json()["clientlogin"]
    assert second["status"] == "UI" and second["messagecode"] == "oathauth-login-failed"
    clock.advance(30)
    off = await client.post(OATH, data={"wpEditToken": form_token(page), "wpAction": "disable", "wpCode": codes[0]})
    assert "now off" in off.text
    assert not await services.login.is_two_factor_enrolled((await services.accounts.find("Tess")).id)


async def test_new_recovery_codes_need_a_current_code(client: httpx.AsyncClient, make_user: Any, clock: Any,
                                                       services: Any) -> None:
    await make_user("Rex", "Rex-password-1")
    enrolment = await services.login.enable_two_factor("Rex")
    token = form_token(await client.get("/w/index.php/Special:UserLogin"))
    step = await client.post("/w/index.php/Special:UserLogin", data={
        "wpEditToken": token, "username": "Rex", "password": "Rex-password-1"})
    await client.post("/w/index.php/Special:UserLogin", data={
        "wpEditToken": form_token(step), "wpContinue": "1", "OATHToken": pyotp.TOTP(enrolment.secret).at(clock.now())})
    page = await client.get(OATH)
    assert "Two-factor authentication is on" in page.text
    refused = await client.post(OATH, data={"wpEditToken": form_token(page), "wpAction": "recovery", "wpCode": "1"})
    assert refused.status_code == 400
    clock.advance(30)
    fresh = await client.post(OATH, data={"wpEditToken": form_token(page), "wpAction": "recovery",
                                          "wpCode": pyotp.TOTP(enrolment.secret).at(clock.now())})
    new = re.findall(r"<li><code>([A-Z2-7]+)</code></li>", fresh.text)
    assert len(new) == 10 and not set(new) & set(enrolment.recovery_codes)


async def test_the_credential_pages_send_a_stale_login_to_log_in_again(
        client: httpx.AsyncClient, make_user: Any, clock: Any) -> None:
    assert (await client.get(OATH)).headers["location"] == (
        "/w/index.php/Special:UserLogin?returnto=Special%3AOATHManage")
    await make_user("Stale", "Stale-password-1")
    await log_in(client, "Stale", "Stale-password-1", rememberMe="1")
    clock.advance(7200)  # the session is gone; the remember-me cookie logs in again, but not recently
    for path, title in ((OATH, "OATHManage"), (BOTS, "BotPasswords")):
        answer = await client.get(path)
        assert answer.headers["location"] == f"/w/index.php/Special:UserLogin?returnto=Special%3A{title}&force=1"


async def test_a_bot_password_is_made_shown_once_changed_reset_and_deleted(
        client: httpx.AsyncClient, make_user: Any, new_api: Any, services: Any) -> None:
    await make_user("Botmaker", "Botmaker-password-1")
    await log_in(client, "Botmaker", "Botmaker-password-1")
    listing = await client.get(BOTS)
    named = await client.post(BOTS, data={"wpEditToken": form_token(listing), "wpAppId": "ci"})
    assert named.headers["location"] == "/w/index.php/Special:BotPasswords/ci"
    form = await client.get(named.headers["location"])
    assert 'name="wpGrant-editpage"' in form.text and 'name="wpGrant-basic"' not in form.text
    made = await client.post(named.headers["location"], data={
        "wpEditToken": form_token(form), "wpAction": "create", "wpGrant-editpage": "1",
        "wpRestrictions": "127.0.0.0/8\n::1/128"})
    password = re.search(r'<code id="bot-password">([0-9a-w]+)</code>', made.text).group(1)  # type: ignore[union-attr]
    bot = new_api()
    assert (await bot.post(action="login", lgname="Botmaker@ci", lgpassword=password,
                           lgtoken=await bot.token("login"))).json()["login"]["result"] == "Success"
    [record] = await services.login.list_bot_passwords("Botmaker")
    assert (record.grants, record.restrictions) == (("basic", "editpage"), ("127.0.0.0/8", "::1/128"))
    form = await client.get(named.headers["location"])
    assert 'id="g-editpage" name="wpGrant-editpage" value="1" checked' in form.text
    reset = await client.post(named.headers["location"], data={
        "wpEditToken": form_token(form), "wpAction": "reset", "wpGrant-protect": "1", "wpRestrictions": ""})
    new_password = re.search(r'<code id="bot-password">([0-9a-w]+)</code>', reset.text).group(1)  # type: ignore[union-attr]
    assert new_password != password
    # The session logged in with the old password ends with it, as MediaWiki's new bp_token ends it.
    assert (await bot.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["id"] == 0
    [record] = await services.login.list_bot_passwords("Botmaker")
    assert (record.grants, record.restrictions) == (("basic", "protect"), ())
    old = new_api()
    assert (await old.post(action="login", lgname="Botmaker@ci", lgpassword=password,
                           lgtoken=await old.token("login"))).json()["login"]["result"] == "Failed"
    gone = await client.post(named.headers["location"], data={"wpEditToken": form_token(form), "wpAction": "delete"})
    assert 'The bot password "ci" was deleted.' in gone.text.replace("&#34;", '"')
    assert await services.login.list_bot_passwords("Botmaker") == []


async def test_bad_bot_passwords_are_refused_in_words(client: httpx.AsyncClient, make_user: Any) -> None:
    await make_user("Botmaker", "Botmaker-password-1")
    await log_in(client, "Botmaker", "Botmaker-password-1")
    form = await client.get(f"{BOTS}/ci")
    ranges = await client.post(f"{BOTS}/ci", data={"wpEditToken": form_token(form), "wpAction": "create",
                                                   "wpRestrictions": "not a range"})
    assert ranges.status_code == 400 and "address range is not valid" in shown_error(ranges)
    forged = await client.post(f"{BOTS}/ci", data={"wpEditToken": "+\\", "wpAction": "create"})
    assert forged.status_code == 400
