"""pywikibot against the real server: site initialisation, the three ways to log in, tokens,
editing and protecting (page.protect, site.protect and action=protect), and a page's lifecycle
(a section save, move, delete, undelete), a bot blocked by a sysop and unblocked again, and a bot
signing its requests with OAuth 1.0a keys from user-config.py's `authenticate`.

Each flow runs drivers/pywikibot_flow.py in its own process and directory, as a bot would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from e2e_support import PYTHON, WikiServer, run_program

pytestmark = pytest.mark.e2e

DRIVER = Path(__file__).resolve().parent / "drivers" / "pywikibot_flow.py"


def _run(wiki: WikiServer, workdir: Path, flow: str, **env: str) -> str:
    environment = {"PYWIKIBOT_NO_USER_CONFIG": "2", "PYWIKIBOT_DIR": str(workdir),
                   "E2E_API_URL": wiki.api_url, **env}
    output = run_program(f"pywikibot ({flow})", [PYTHON, str(DRIVER), flow], cwd=workdir, env=environment,
                         server=wiki)
    assert output.rstrip().endswith("done"), output
    return output


def test_site_initialisation_and_tokens(wiki: WikiServer, workdir: Path) -> None:
    output = _run(wiki, workdir, "init")
    assert "ok: a login token" in output


def test_login_with_main_account_edit_and_logout(wiki: WikiServer, workdir: Path) -> None:
    output = _run(wiki, workdir, "login-main", E2E_USER="Alice", E2E_PASSWORD=wiki.users["Alice"],
                  E2E_PAGE="E2E pywikibot edit")
    assert "ok: the edit is stored" in output and "ok: logged out" in output


def test_login_with_a_bot_password(wiki: WikiServer, workdir: Path) -> None:
    output = _run(wiki, workdir, "login-bot", E2E_USER="Mindy", E2E_BOT_SUFFIX="e2e",
                  E2E_PASSWORD=wiki.bot_passwords["Mindy@e2e"])
    assert "ok: a bot password acts as its user" in output


def test_two_factor_login(wiki: WikiServer, workdir: Path) -> None:
    output = _run(wiki, workdir, "login-2fa", E2E_USER="Otto", E2E_PASSWORD=wiki.users["Otto"],
                  E2E_TOTP_SECRET=wiki.totp_secrets["Otto"])
    assert "ok: pywikibot asked once for the two-factor code" in output


def test_protect_three_ways(wiki: WikiServer, workdir: Path) -> None:
    output = _run(wiki, workdir, "protect", E2E_USER="Mindy", E2E_PASSWORD=wiki.users["Mindy"],
                  E2E_PAGE="E2E pywikibot protect")
    assert "ok: action=protect through the API" in output


def test_section_save_move_delete_and_undelete(wiki: WikiServer, workdir: Path) -> None:
    output = _run(wiki, workdir, "lifecycle", E2E_USER="Mindy", E2E_PASSWORD=wiki.users["Mindy"],
                  E2E_PAGE="E2E pywikibot lifecycle")
    assert "ok: page.undelete() brings it back" in output


def test_a_blocked_bot_sees_its_block_and_cannot_save_until_unblocked(wiki: WikiServer, workdir: Path) -> None:
    # The sysop blocks the bot while it is logged in, as happens to a misbehaving bot: pywikibot
    # must see the block on asking again, and its save must fail with the server's refusal.
    output = _run(wiki, workdir, "blocked", E2E_USER="Blockbot", E2E_BOT_SUFFIX="e2e",
                  E2E_PASSWORD=wiki.bot_passwords["Blockbot@e2e"], E2E_SYSOP="Mindy",
                  E2E_SYSOP_PASSWORD=wiki.users["Mindy"], E2E_BLOCK_REASON="e2e: runaway bot",
                  E2E_PAGE="E2E pywikibot blocked bot")
    assert "ok: page.save() fails with OtherPageSaveError for the API error code 'blocked'" in output
    assert "ok: page.save() works again after the unblock" in output


def test_oauth1_keys_in_user_config_sign_every_request_and_save_as_mindy(wiki: WikiServer, workdir: Path) -> None:
    # The README's CI recipe: mint the four keys with the CLI while the server runs, and put them
    # in user-config.py as pywikibot's OAuth documentation says. A consumer of its own, so that no
    # other test's `wikigate oauth token Mindy --oauth1` renews these keys away.
    minted = json.loads(wiki.cli("oauth", "token", "Mindy", "--oauth1", "--consumer", "e2e-pywikibot"))
    assert minted["oauth_version"] == 1 and minted["owner_only"] is True, minted
    keys = tuple(minted[name] for name in ("consumer_token", "consumer_secret", "access_token", "access_secret"))
    # pywikibot reads user-config.py from PYWIKIBOT_DIR even with PYWIKIBOT_NO_USER_CONFIG=2.
    (workdir / "user-config.py").write_text(f"authenticate[{f'127.0.0.1:{wiki.port}'!r}] = {keys!r}\n")
    title = "E2E pywikibot OAuth 1.0a"
    output = _run(wiki, workdir, "oauth1", E2E_USER="Mindy", E2E_PAGE=title)
    assert "ok: every request carried an OAuth 1.0a signature" in output
    assert "ok: the revision's author is Mindy" in output
    # And as anybody reads it, without the keys.
    history = wiki.call(requests.Session(), "GET", action="query", prop="revisions", titles=title,
                        rvprop="user|comment", formatversion="2")
    revision = history["query"]["pages"][0]["revisions"][0]
    assert revision == {"user": "Mindy", "comment": "e2e pywikibot OAuth 1.0a"}, history
