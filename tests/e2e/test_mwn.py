"""mwn (npm) against the real server: login with a main account and a bot password, save,
read-modify-write edit, a multipart save, protect and the protected-page refusal; and mwn with an
OAuth 2 token from `wikigate oauth token` (its OAuth2AccessToken option), whose login() is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e_support import NODE_DIR, WikiServer, node_env, run_program

pytestmark = pytest.mark.e2e


def test_mwn_flow(wiki: WikiServer, node_modules: Path) -> None:
    output = run_program("mwn", ["node", str(NODE_DIR / "mwn_flow.js"), "Alice", wiki.users["Alice"],
                                 "Mindy@e2e", wiki.bot_passwords["Mindy@e2e"]],
                         cwd=NODE_DIR, env=node_env(wiki, node_modules), server=wiki)
    assert output.rstrip().endswith("done"), output
    assert "ok: alice cannot edit the protected page" in output


def test_mwn_with_an_oauth2_token_from_the_cli_edits_and_protects_and_cannot_log_in(
        wiki: WikiServer, node_modules: Path) -> None:
    # The README's CI recipe, as a CI would follow it: mint the token with the CLI against the
    # wiki's database while the server runs, then hand it to mwn. A consumer of its own, so that no
    # other test's `wikigate oauth token Mindy` rotates this token away.
    minted = json.loads(wiki.cli("oauth", "token", "Mindy", "--consumer", "e2e-mwn"))
    assert minted["owner_only"] is True and minted["grant_types"] == ["client_credentials"], minted
    output = run_program("mwn", ["node", str(NODE_DIR / "mwn_oauth2_flow.js"), "Mindy", wiki.users["Mindy"]],
                         cwd=NODE_DIR, env=node_env(wiki, node_modules, WIKI_OAUTH2_TOKEN=minted["access_token"]),
                         server=wiki)
    assert output.rstrip().endswith("done"), output
    assert "ok: protect through bot.request()" in output
    assert "ok: login() under OAuth is refused with mwn's OAuth message" in output
