"""mwn (npm) against the real server: login with a main account and a bot password, save,
read-modify-write edit, a multipart save, protect and the protected-page refusal."""

from __future__ import annotations

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
