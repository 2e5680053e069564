"""mwclient against the real server: initialisation, login (action=login), clientlogin (also with
two-factor), page edits and protection through site.api('protect', ...), section edits, moves and
deletions, a user blocked and unblocked while logged in, and OAuth 1.0a owner-only keys from the CLI."""

from __future__ import annotations

import json
from typing import Any

import mwclient
import pyotp
import pytest
import requests
from e2e_support import RequestTrace, WikiServer

pytestmark = pytest.mark.e2e


def _site(wiki: WikiServer, trace: RequestTrace) -> Any:
    session = trace.attach(requests.Session())
    with trace.step("mwclient.Site() initialisation"):
        return mwclient.Site(f"127.0.0.1:{wiki.port}", path="/w/", scheme="http", pool=session,
                             max_retries=1, retry_timeout=1)


def test_initialisation(wiki: WikiServer) -> None:
    trace = RequestTrace("mwclient")
    site = _site(wiki, trace)
    assert site.version[:2] == (1, 39)
    assert site.namespaces[2] == "User" and site.namespaces[4] == site.site["sitename"]
    assert not site.logged_in
    with trace.step("site.get_token('login')"):
        assert site.get_token("login").endswith("+\\")


def test_login_and_edit(wiki: WikiServer) -> None:
    trace = RequestTrace("mwclient")
    site = _site(wiki, trace)
    with trace.step("site.login('Alice')"):
        site.login("Alice", wiki.users["Alice"])
    assert site.logged_in and site.username == "Alice"
    assert "autoconfirmed" in site.rights  # mwclient checks semi-protection against these
    page = site.pages["E2E mwclient edit"]
    with trace.step("page.edit()"):
        result = page.edit("Written by mwclient.", summary="e2e mwclient")
    assert result["result"] == "Success", result
    with trace.step("page.text()"):
        assert site.pages["E2E mwclient edit"].text(cache=False) == "Written by mwclient."


def test_clientlogin_and_protect(wiki: WikiServer) -> None:
    trace = RequestTrace("mwclient")
    site = _site(wiki, trace)
    with trace.step("site.clientlogin(username='Mindy')"):
        assert site.clientlogin(username="Mindy", password=wiki.users["Mindy"]) is True
    title = "E2E mwclient protect"
    with trace.step("page.edit()"):
        site.pages[title].edit("A page to protect.", summary="e2e mwclient")
    with trace.step("site.api('protect', protections='edit=sysop|move=sysop')"):
        result = site.api("protect", title=title, protections="edit=sysop|move=sysop", expiry="infinite",
                          reason="e2e mwclient", token=site.get_token("protect"))
    assert result["protect"] == {"title": title, "reason": "e2e mwclient", "protections": [
        {"edit": "sysop", "expiry": "infinite"}, {"move": "sysop", "expiry": "infinite"}]}
    with trace.step("site.pages[title].protection"):
        protection = site.pages[title].protection
    assert protection == {"edit": ("sysop", "infinity"), "move": ("sysop", "infinity")}


def test_two_factor_clientlogin(wiki: WikiServer) -> None:
    trace = RequestTrace("mwclient")
    site = _site(wiki, trace)
    with trace.step("site.clientlogin(username='Kurt')"):
        first = site.clientlogin(username="Kurt", password=wiki.users["Kurt"])
    assert isinstance(first, dict) and first["status"] == "UI", first
    assert any("OATHToken" in request.get("fields", {}) for request in first["requests"]), first
    with trace.step("site.clientlogin(OATHToken=..., logincontinue=True)"):
        assert site.clientlogin(OATHToken=pyotp.TOTP(wiki.totp_secrets["Kurt"]).now(), logincontinue=True) is True
    with trace.step("site.site_init()"):
        site.site_init()
    assert site.logged_in and site.username == "Kurt"


def test_section_edit_move_and_delete(wiki: WikiServer) -> None:
    trace = RequestTrace("mwclient")
    site = _site(wiki, trace)
    with trace.step("site.login('Mindy')"):
        site.login("Mindy", wiki.users["Mindy"])
    title = "E2E mwclient lifecycle"
    with trace.step("page.edit()"):
        site.pages[title].edit("Lead\n== A ==\nS1\n== B ==\nS2", summary="e2e mwclient")
    with trace.step("page.edit(section=2)"):
        site.pages[title].edit("== B ==\nS2 changed", section=2, summary="e2e section")
    with trace.step("page.text()"):
        assert site.pages[title].text(cache=False) == "Lead\n== A ==\nS1\n== B ==\nS2 changed"
        assert site.pages[title].text(section=1, cache=False) == "== A ==\nS1"
    with trace.step("page.move()"):
        site.pages[title].move(f"{title} moved", reason="e2e move", no_redirect=True)
    with trace.step("site.pages[...].exists"):
        assert not site.pages[title].exists and site.pages[f"{title} moved"].exists
    with trace.step("page.delete()"):
        site.pages[f"{title} moved"].delete(reason="e2e delete")
    with trace.step("site.pages[...].exists"):
        assert not site.pages[f"{title} moved"].exists


def test_a_blocked_user_is_told_by_site_blocked_and_cannot_edit_until_unblocked(wiki: WikiServer) -> None:
    trace = RequestTrace("mwclient")
    site = _site(wiki, trace)
    with trace.step("site.login('Blockee')"):
        site.login("Blockee", wiki.users["Blockee"])
    assert site.logged_in and site.blocked is False
    title, reason = "E2E mwclient blocked edit", "e2e: edit warring"
    wiki.block("Blockee", reason=reason, as_user="Mindy")
    try:
        # mwclient asks for blockinfo with every query and keeps (blockedby, blockreason) from it.
        with trace.step("site.site_init()"):
            site.site_init()
        assert site.blocked == ("Mindy", reason)
        with trace.step("site.pages[title]"):
            page = site.pages[title]
        with pytest.raises(mwclient.errors.UserBlocked) as refused:
            page.edit("Refused while blocked.", summary="e2e mwclient")
        assert refused.value.args == (("Mindy", reason),)

        # mwclient refuses on its own once it knows; the server refuses an edit sent anyway, with
        # MediaWiki's code and the blockinfo naming the same block.
        with trace.step("site.raw_api('edit') while blocked"):
            answer = site.raw_api("edit", "POST", title=title, text="Sent anyway.", token=site.get_token("csrf"))
        assert answer["error"]["code"] == "blocked", answer
        assert answer["error"]["blockinfo"]["blockedby"] == "Mindy", answer
        assert answer["error"]["blockinfo"]["blockreason"] == reason, answer
        with trace.step("site.pages[title].exists"):
            assert not site.pages[title].exists
    finally:
        wiki.unblock("Blockee", as_user="Mindy")

    with trace.step("site.site_init() after the unblock"):
        site.site_init()
    assert site.blocked is False
    with trace.step("page.edit() after the unblock"):
        result = site.pages[title].edit("Written after the unblock.", summary="e2e mwclient")
    assert result["result"] == "Success", result
    with trace.step("page.text()"):
        assert site.pages[title].text(cache=False) == "Written after the unblock."


def _oauth1_site(wiki: WikiServer, trace: RequestTrace, keys: dict[str, str]) -> Any:
    """mwclient signing with OAuth 1.0a: it sets the keys' OAuth1 on a session of its own (a `pool`
    would go without it), so the trace is attached to that session before the first request;
    site_init() is left to the caller."""
    site = mwclient.Site(f"127.0.0.1:{wiki.port}", path="/w/", scheme="http", max_retries=1, retry_timeout=1,
                         do_init=False, **keys)
    trace.attach(site.connection)
    return site


def test_oauth1_owner_only_keys_edit_as_their_user(wiki: WikiServer) -> None:
    # A consumer of its own, so that no other test's `wikigate oauth token Alice --oauth1` renews
    # these keys away.
    minted = json.loads(wiki.cli("oauth", "token", "Alice", "--oauth1", "--consumer", "e2e-mwclient"))
    keys = {name: minted[name] for name in ("consumer_token", "consumer_secret", "access_token", "access_secret")}
    trace = RequestTrace("mwclient")
    site = _oauth1_site(wiki, trace, keys)
    with trace.step("site.site_init() (OAuth 1.0a)"):
        site.site_init()
    # mwclient never logs in here: userinfo of the signed requests names the user.
    assert site.logged_in and site.username == "Alice"
    assert "edit" in site.rights and "autoconfirmed" in site.rights, site.rights
    title = "E2E mwclient OAuth 1.0a"
    with trace.step("page.edit() (OAuth 1.0a)"):
        result = site.pages[title].edit("Written by mwclient with OAuth 1.0a.", summary="e2e mwclient OAuth 1.0a")
    assert result["result"] == "Success", result
    history = wiki.call(requests.Session(), "GET", action="query", prop="revisions", titles=title,
                        rvprop="user|comment", formatversion="2")
    revision = history["query"]["pages"][0]["revisions"][0]
    assert revision == {"user": "Alice", "comment": "e2e mwclient OAuth 1.0a"}, history

    # A request signed with a wrong access secret is refused, as the extension refuses it.
    forged = _oauth1_site(wiki, RequestTrace("mwclient"), {**keys, "access_secret": "0" * len(keys["access_secret"])})
    with pytest.raises(mwclient.errors.APIError) as refused:
        forged.site_init()
    assert refused.value.code == "mwoauth-invalid-authorization", refused.value.args
    assert "Invalid signature" in refused.value.info, refused.value.args
