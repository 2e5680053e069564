"""Wikimedia's api-testing library (npm) with mocha against the real server.

The specs in node/specs/ are written here in the style of MediaWiki's own
tests/api-testing suite, using its fixtures: `action.root()` (our Admin),
`alice()`, `mindy()` (made sysop through action=userrights) and `getAnon()`.
api-testing drains the job queue with POST /w/index.php title=Special:RunJobs
after each edit and after adding groups.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_support import NODE_DIR, WikiServer, node_env, run_program

pytestmark = pytest.mark.e2e

SPECS = sorted(path.name for path in (NODE_DIR / "specs").glob("*.js"))


@pytest.mark.parametrize("spec", SPECS)
def test_spec(spec: str, wiki: WikiServer, node_modules: Path, api_testing_config: Path) -> None:
    mocha = node_modules / ".bin" / "mocha"
    output = run_program(f"api-testing (mocha specs/{spec})",
                         [str(mocha), "--timeout", "30000", "--reporter", "spec", f"specs/{spec}"],
                         cwd=NODE_DIR, server=wiki,
                         env=node_env(wiki, node_modules, API_TESTING_CONFIG_FILE=str(api_testing_config)))
    assert " passing" in output and " failing" not in output, output
