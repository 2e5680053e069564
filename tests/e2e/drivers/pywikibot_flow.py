"""Drive wikigate with pywikibot, as a bot operator would, one flow per run.

    E2E_API_URL=... E2E_USER=... E2E_PASSWORD=... python pywikibot_flow.py FLOW

Run in a fresh working directory with PYWIKIBOT_NO_USER_CONFIG=2: pywikibot
keeps its cookie jar, API cache and throttle file there. Prints one
`ok: ...` line per check; on failure prints `[pywikibot] <step> failed`
with the last request sent and exits 1.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pywikibot
from pywikibot import config
from pywikibot.comms import http
from pywikibot.login import BotPassword

API_URL = os.environ["E2E_API_URL"]
USER = os.environ.get("E2E_USER", "")
PASSWORD = os.environ.get("E2E_PASSWORD", "")
FAMILY = "wikigate"

config.put_throttle = 0  # the default waits 10 s between writes
config.max_retries = 1
config.retry_wait = 1
config.maxlag = 5
config.family = FAMILY

sent: list[str] = []
signed: list[bool] = []  # per request: did it carry an OAuth 1.0a Authorization header?


def _record(response: Any, *args: Any, **kwargs: Any) -> None:
    request = response.request
    params = parse_qsl(urlsplit(request.url).query, keep_blank_values=True)
    body = request.body.decode(errors="replace") if isinstance(request.body, bytes) else (request.body or "")
    params += parse_qsl(body, keep_blank_values=True)
    shown = " ".join(f"{k}={'***' if 'password' in k.lower() or 'token' in k.lower() else v[:60]}"
                     for k, v in params if k != "format")
    sent.append(f"{request.method} {shown} -> HTTP {response.status_code}")
    authorization = request.headers.get("Authorization", "")  # requests_oauthlib sets it as bytes
    signed.append((authorization.decode() if isinstance(authorization, bytes) else authorization).startswith("OAuth "))


http.session.hooks["response"].append(_record)


def step(what: str, action: Callable[[], Any]) -> Any:
    before = len(sent)
    try:
        return action()
    except Exception as error:  # report any client exception with the request that caused it
        last = sent[-1] if len(sent) > before else "(no request was sent)"
        print(f"[pywikibot] {what} failed: {type(error).__name__}: {error}\n  last request: {last}", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)


def check(condition: bool, what: str, detail: Any = "") -> None:
    if not condition:
        last = sent[-1] if sent else "(no request was sent)"
        print(f"[pywikibot] check failed: {what} {detail}\n  last request: {last}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def site_for(user: str | None, secret: str | BotPassword | None = None) -> pywikibot.site.APISite:
    if user and secret is not None:
        with open("passwordfile", "w") as handle:
            handle.write(f"({user!r}, {secret!r})\n" if isinstance(secret, str)
                         else f"({user!r}, BotPassword({secret.suffix!r}, {secret.password!r}))\n")
        config.password_file = os.path.abspath("passwordfile")
    return step("Site()", lambda: pywikibot.Site(url=API_URL, fam=FAMILY, user=user or None))


def login(site: pywikibot.site.APISite, name: str) -> None:
    step("site.login()", site.login)
    check(site.logged_in(), f"logged in as {name}")
    check(site.user() == name, "userinfo names the configured user", site.user())
    csrf = step("site.tokens['csrf']", lambda: site.tokens["csrf"])
    check(csrf.endswith("+\\") and len(csrf) > 2, "a real csrf token")


def flow_init() -> None:
    site = site_for(None)
    check(step("site.mw_version", lambda: site.mw_version) >= "1.39", "MediaWiki version 1.39")
    check(site.namespaces[2].custom_name == "User", "namespace 2 is User")
    check(site.namespaces[4].custom_name == site.siteinfo["sitename"], "the project namespace is the site name")
    check(site.siteinfo["case"] == "first-letter", "first-letter case")
    check(site.userinfo["name"] and "anon" in site.userinfo, "anonymous userinfo")
    restrictions = step("site.restrictions", lambda: site.restrictions)
    check({"edit", "move", "create"} <= set(restrictions["types"]), "restriction types", restrictions)
    check({"autoconfirmed", "sysop"} <= set(restrictions["levels"]), "restriction levels", restrictions)
    login_token = step("site.tokens['login']", lambda: site.tokens["login"])
    check(login_token.endswith("+\\") and len(login_token) == 42, "a login token", login_token)


def flow_login_main() -> None:
    site = site_for(USER, PASSWORD)
    login(site, USER)
    page = pywikibot.Page(site, os.environ["E2E_PAGE"])
    page.text = f"Edited by pywikibot as {USER}."
    step(f"Page({page.title()!r}).save()", lambda: page.save(summary="e2e pywikibot edit"))
    fresh = pywikibot.Page(site, page.title())
    check(step("page.text", lambda: fresh.text) == f"Edited by pywikibot as {USER}.", "the edit is stored")
    step("site.logout()", site.logout)
    check(not site.logged_in(), "logged out")


def flow_login_bot() -> None:
    suffix = os.environ["E2E_BOT_SUFFIX"]
    site = site_for(USER, BotPassword(suffix, PASSWORD))
    login(site, USER)
    check(step("userinfo", lambda: site.userinfo["name"]) == USER, "a bot password acts as its user")


def flow_login_2fa() -> None:
    import pyotp

    totp = pyotp.TOTP(os.environ["E2E_TOTP_SECRET"])
    prompts: list[str] = []

    def answer(question: str, *args: Any, **kwargs: Any) -> str:
        prompts.append(question)
        return totp.now()

    pywikibot.input = answer  # pywikibot asks for the OATHToken field through pywikibot.input()
    site = site_for(USER, PASSWORD)
    login(site, USER)
    check(len(prompts) == 1, "pywikibot asked once for the two-factor code", prompts)


def flow_protect() -> None:
    site = site_for(USER, PASSWORD)
    login(site, USER)
    page = pywikibot.Page(site, os.environ["E2E_PAGE"])
    if not page.exists():
        page.text = "A page to protect."
        step("page.save()", lambda: page.save(summary="e2e page to protect"))

    step("page.protect(edit=sysop, move=sysop)",
         lambda: page.protect(summary="e2e page.protect", protections={"edit": "sysop", "move": "sysop"}))
    protection = step("page.protection()", lambda: pywikibot.Page(site, page.title()).protection())
    check(protection == {"edit": ("sysop", "infinity"), "move": ("sysop", "infinity")},
          "page.protect() set edit and move to sysop", protection)

    step("site.protect(edit=autoconfirmed, expiry=1 week)",
         lambda: site.protect(page, {"edit": "autoconfirmed", "move": ""}, "e2e site.protect", expiry="1 week"))
    protection = step("page.protection()", lambda: pywikibot.Page(site, page.title()).protection())
    check(set(protection) == {"edit"} and protection["edit"][0] == "autoconfirmed"
          and protection["edit"][1] != "infinity", "site.protect() set a week of semi-protection", protection)

    request = site.simple_request(action="protect", title=page.title(), protections="edit=sysop",
                                  expiry="infinite", reason="e2e API", token=site.tokens["csrf"])
    result = step("action=protect (simple_request)", request.submit)
    check(result["protect"]["protections"] == [{"edit": "sysop", "expiry": "infinite"}],
          "action=protect through the API", result)
    check(page.title() == result["protect"]["title"], "the answer names the page", result)


def flow_lifecycle() -> None:
    site = site_for(USER, PASSWORD)
    login(site, USER)
    base = os.environ["E2E_PAGE"]
    page = pywikibot.Page(site, base)
    page.text = "Lead\n== A ==\nS1\n== B ==\nS2"
    step("page.save()", lambda: page.save(summary="e2e lifecycle"))
    step("page.save(section=0)", lambda: page.save(summary="e2e lead", section=0, text="New lead"))
    text = step("page.text", lambda: pywikibot.Page(site, base).text)
    check(text == "New lead\n\n== A ==\nS1\n== B ==\nS2", "a lead-section save keeps the other sections", text)

    moved = step("page.move()", lambda: pywikibot.Page(site, base).move(f"{base} moved", summary="e2e move"))
    check(moved.title() == f"{base} moved" and moved.exists(), "page.move() gives the page at its new title")
    old = pywikibot.Page(site, base)
    check(step("isRedirectPage()", old.isRedirectPage), "the old title redirects")
    check(step("getRedirectTarget()", old.getRedirectTarget).title() == f"{base} moved", "to the new one")

    step("page.delete()", lambda: pywikibot.Page(site, f"{base} moved").delete(summary="e2e delete", prompt=False))
    check(not pywikibot.Page(site, f"{base} moved").exists(), "page.delete() removes the page")
    step("page.undelete()", lambda: pywikibot.Page(site, f"{base} moved").undelete(reason="e2e undelete"))
    restored = pywikibot.Page(site, f"{base} moved")
    check(restored.exists() and restored.text.startswith("New lead"), "page.undelete() brings it back")


def flow_oauth1() -> None:
    """The four OAuth 1.0a keys in user-config.py's authenticate[...] (written by the test): pywikibot
    signs every request with them and never sends a login request; it saves as their user."""
    site = site_for(USER)
    check(step("site.is_oauth_token_available()", site.is_oauth_token_available),
          "user-config's authenticate[...] gives pywikibot the four OAuth 1.0a keys")
    step("site.login()", site.login)
    check(site.logged_in() and site.user() == USER, f"the site user is {USER} (userinfo of the signed request)",
          site.userinfo)
    check(bool(signed) and all(signed), "every request carried an OAuth 1.0a signature", signed)
    check(not any(" action=login " in f" {line} " or "action=clientlogin" in line for line in sent),
          "no login request was sent", sent)
    # The token's grants (the CLI's default set) limit the sysop's rights: protect is granted,
    # delete is not.
    rights = step("site.userinfo['rights']", lambda: site.userinfo["rights"])
    check("protect" in rights and "edit" in rights and "delete" not in rights,
          "the rights are the sysop's within the grants", sorted(rights))
    csrf = step("site.tokens['csrf']", lambda: site.tokens["csrf"])
    check(csrf.endswith("+\\") and len(csrf) > 2, "a real csrf token for the OAuth session")

    page = pywikibot.Page(site, os.environ["E2E_PAGE"])
    page.text = f"Saved by pywikibot with OAuth 1.0a as {USER}."
    step(f"Page({page.title()!r}).save()", lambda: page.save(summary="e2e pywikibot OAuth 1.0a"))
    fresh = pywikibot.Page(site, page.title())
    check(step("page.text", lambda: fresh.text) == page.text, "the save is stored")
    author = step("page.latest_revision.user", lambda: fresh.latest_revision.user)
    check(author == USER, f"the revision's author is {USER}", author)


def sysop_request(action: str, **params: str) -> dict[str, Any]:
    """One write by the sysop E2E_SYSOP, in its own requests session: pywikibot keeps a single
    cookie jar per process, so a second pywikibot login here would log the bot out."""
    import requests

    session = requests.Session()

    def call(method: str, **data: str) -> dict[str, Any]:
        data = {"format": "json", **data}
        response = (session.get(API_URL, params=data, timeout=30) if method == "GET"
                    else session.post(API_URL, data=data, timeout=30))
        return response.json()  # type: ignore[no-any-return]

    login_token = call("GET", action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
    call("POST", action="login", lgname=os.environ["E2E_SYSOP"], lgpassword=os.environ["E2E_SYSOP_PASSWORD"],
         lgtoken=login_token)
    csrf = call("GET", action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    result = call("POST", action=action, token=csrf, **params)
    check(action in result, f"the sysop's action={action} succeeded", result)
    return result


def flow_blocked() -> None:
    sysop, reason = os.environ["E2E_SYSOP"], os.environ["E2E_BLOCK_REASON"]
    site = site_for(USER, BotPassword(os.environ["E2E_BOT_SUFFIX"], PASSWORD))
    login(site, USER)
    page = pywikibot.Page(site, os.environ["E2E_PAGE"])
    check("blockedby" not in site.userinfo, "the bot starts unblocked", site.userinfo)

    # No autoblock: every client of the tier edits from 127.0.0.1.
    sysop_request("block", user=USER, reason=reason, expiry="infinite")
    # pywikibot caches userinfo (asked with uiprop=blockinfo) from its login; a running bot asks
    # again by dropping the cache. MediaWiki 1.39 writes the block's fields into userinfo itself
    # (blockid, blockedby, ...), while pywikibot 11's site.is_blocked() looks for a nested
    # "blockinfo" key that 1.39 never sends, so it answers False against MediaWiki too: the
    # fields are read here, and User.is_blocked() (list=users, "blockedby") gives the verdict.
    del site.userinfo
    blockinfo = step("site.userinfo (refreshed)", lambda: site.userinfo)
    check(blockinfo.get("blockedby") == sysop and blockinfo.get("blockreason") == reason
          and blockinfo.get("blockexpiry") == "infinite" and blockinfo.get("blockpartial") is False,
          "the refreshed userinfo names the blocker, the reason and an indefinite sitewide block", blockinfo)
    user = pywikibot.User(site, USER)
    check(step("User.is_blocked(refresh=True)", lambda: user.is_blocked(refresh=True)),
          "User.is_blocked() sees it through list=users")
    info = step("User.get_block_info()", user.get_block_info) or {}
    check(info.get("blockedby") == sysop and info.get("blockreason") == reason
          and info.get("blockid") == blockinfo["blockid"], "User.get_block_info() names the same block", info)
    check(not user.is_partial_blocked(), "User.is_partial_blocked() is false for a sitewide block")

    # pywikibot 11 has no exception of its own for the code "blocked" (UserBlocked is long gone):
    # editpage() lets the APIError through and save() wraps it in OtherPageSaveError, whose reason
    # is that APIError with the server's blockinfo among its extra fields.
    page.text = f"Refused while {USER} is blocked."
    try:
        page.save(summary="e2e pywikibot while blocked")
    except pywikibot.exceptions.OtherPageSaveError as failure:
        error = failure.reason
        check(isinstance(error, pywikibot.exceptions.APIError) and error.code == "blocked",
              "page.save() fails with OtherPageSaveError for the API error code 'blocked'", repr(error))
        refused = error.other.get("blockinfo", {})
        check(refused.get("blockedby") == sysop and refused.get("blockreason") == reason
              and refused.get("blockid") == blockinfo["blockid"], "the error's blockinfo names the block", refused)
    else:
        check(False, "page.save() fails while the bot is blocked", "it saved")
    check(not step("page.exists()", pywikibot.Page(site, page.title()).exists), "nothing was saved")

    sysop_request("unblock", user=USER, reason="e2e unblock")
    del site.userinfo
    check("blockedby" not in step("site.userinfo (refreshed)", lambda: site.userinfo),
          "the refreshed userinfo has no block after the unblock")
    check(not step("User.is_blocked(refresh=True)", lambda: user.is_blocked(refresh=True)),
          "User.is_blocked(refresh=True) too")
    page.text = f"Saved after {USER} was unblocked."
    step("page.save() after the unblock", lambda: page.save(summary="e2e pywikibot after unblock"))
    check(step("page.text", lambda: pywikibot.Page(site, page.title()).text) == page.text,
          "page.save() works again after the unblock")


FLOWS = {"lifecycle": flow_lifecycle, "init": flow_init, "login-main": flow_login_main, "login-bot": flow_login_bot,
         "login-2fa": flow_login_2fa, "protect": flow_protect, "blocked": flow_blocked, "oauth1": flow_oauth1}

if __name__ == "__main__":
    FLOWS[sys.argv[1]]()
    print("done")
