"""MediaWiki 1.39's own Action API specs (tests/api-testing/action/*.js) against the real server.

The specs are fetched from Debian's source package when the tests run (see
mediawiki_source.py) and run unchanged with mocha and the api-testing library,
as MediaWiki's CI runs them against MediaWiki. A spec runs when wikigate
serves every module it needs; the others are listed in WAITING with what they
need, and the issue that adds those modules moves them to RUNNING.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from e2e_support import IN_CI, WikiServer, node_env, run_program
from mediawiki_source import SourceUnavailable, action_specs

pytestmark = pytest.mark.e2e

RUNNING = ("Autopatrolling.js", "ListUsers.js", "NewTalkNotification.js", "PageProtection.js", "Patrolling.js", "Preferences.js", "RecentChanges.js",
           "Revision.js", "Rollback.js", "SiteStats.js", "UserBlock.js", "UserContribs.js", "UserInfo.js", "Watchlist.js")
# What each of the others needs that wikigate does not serve (yet, or by design: rendered HTML).
WAITING = {
    "Backlinks.js": "list=backlinks",
    "Categories.js": "prop=categories and list=categorymembers",
    "DiffCompare.js": "action=compare",
    "ExternalLinks.js": "prop=extlinks",
    "Links.js": "prop=links, prop=images, prop=linkshere and prop=extlinks",
    "Parse.js": "action=parse's rendered HTML: not a goal (README)",
    "PrefixSearch.js": "list=prefixsearch",
    "ReparseDependentPages.js": "action=parse's rendered HTML and links tables: not a goal (README)",
    "Tag.js": "action=tag, list=recentchanges and change tags",
}

# Specs that also read pages' rendered HTML (api-testing's getHtml), which wikigate does not
# produce. They run with getHtml answering the page's wikitext (node/wikitext-for-html.js), so
# every other check in them still counts; the value lists the tests whose only failing check
# is on HTML markup itself, and nothing else may fail.
READING_HTML = {
    "Delete.js": (),
    "Edit.js": (),
    "Move.js": (),
    "Undo.js": ("should confirm undo action",),
}


@pytest.fixture(scope="module")
def specs() -> Path:
    try:
        return action_specs()
    except SourceUnavailable as error:
        if IN_CI:
            raise
        pytest.skip(f"!!! MediaWiki's specs could not be fetched from Debian: {error} !!!")


def test_every_spec_of_the_release_is_running_or_waiting_for_a_named_module(specs: Path) -> None:
    found = {path.name for path in specs.glob("*.js")}
    assert found == set(RUNNING) | set(WAITING) | set(READING_HTML)
    assert not set(RUNNING) & set(WAITING)


@pytest.mark.parametrize("spec", RUNNING)
def test_mediawiki_spec(spec: str, specs: Path, wiki: WikiServer, node_modules: Path, api_testing_config: Path,
                        tmp_path: Path) -> None:
    # A copy in a scratch directory: the specs find api-testing through NODE_PATH.
    shutil.copy(specs / spec, tmp_path / spec)
    mocha = node_modules / ".bin" / "mocha"
    output = run_program(f"MediaWiki's api-testing spec {spec}",
                         [str(mocha), "--timeout", "30000", "--reporter", "spec", spec],
                         cwd=tmp_path, server=wiki,
                         env=node_env(wiki, node_modules, API_TESTING_CONFIG_FILE=str(api_testing_config)))
    assert " passing" in output and " failing" not in output, output


@pytest.mark.parametrize("spec", sorted(READING_HTML))
def test_mediawiki_spec_that_reads_html_passes_on_wikitext(spec: str, specs: Path, wiki: WikiServer,
                                                          node_modules: Path, api_testing_config: Path,
                                                          tmp_path: Path) -> None:
    shutil.copy(specs / spec, tmp_path / spec)
    mocha = node_modules / ".bin" / "mocha"
    shim = Path(__file__).parent / "node" / "wikitext-for-html.js"
    output = run_program(f"MediaWiki's api-testing spec {spec} (wikitext for HTML)",
                         [str(mocha), "--timeout", "30000", "--reporter", "json", "--require", str(shim), spec],
                         cwd=tmp_path, server=wiki, check=False,
                         env=node_env(wiki, node_modules, API_TESTING_CONFIG_FILE=str(api_testing_config)))
    report = json.loads(output[output.index("{"):])
    failed = {test["title"]: test["err"].get("message", "") for test in report["failures"]}
    assert report["stats"]["passes"] > 0, output
    assert set(failed) == set(READING_HTML[spec]), output
    for message in failed.values():
        assert "<p>" in message, output  # the markup of a rendered paragraph, and nothing else
