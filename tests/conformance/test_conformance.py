"""wikigate against MediaWiki 1.39's recorded answers (tests/conformance/fixtures).

Every difference must be fixed or listed, with its reason, in deliberate.json.
`make conformance` prints the same comparison as a per-module report.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

FIXTURE_DIR = Path(__file__).parent / "fixtures"
MODULES = sorted(json.loads(path.read_text())["module"] for path in FIXTURE_DIR.glob("*.json"))


def test_the_library_is_large_and_fully_recorded(tool: ModuleType) -> None:
    scenarios = tool.load_scenarios()
    assert len(scenarios) >= 800  # hand-written ones, and tools/generate_scenarios.py's for every parameter
    fixtures = tool.load_fixtures()
    recorded = {(module, name) for module, answers in fixtures.items() for name in answers}
    assert {(s.module, s.name) for s in scenarios} == recorded


def test_normalising_hides_what_changes_per_run(tool: ModuleType) -> None:
    body = {"query": {"tokens": {"csrftoken": "7e8ba25dc597744da9d30f10385845736b020737+\\",
                                 "watchtoken": "+\\"}},
            "edit": {"newrevid": 12, "newtimestamp": "2025-11-21T21:56:00Z", "title": "Page x1f2e3d4c"},
            "error": {"code": "badtoken", "info": "Invalid CSRF token.", "*": "See http://127.0.0.1:8081/w/api.php"},
            "protect": {"protections": [{"edit": "sysop", "expiry": "2099-01-01T00:00:00Z"}]}}
    assert tool.normalise(body, "x1f2e3d4c") == {
        "query": {"tokens": {"csrftoken": "<token>", "watchtoken": "+\\"}},
        "edit": {"newrevid": "<id>", "newtimestamp": "<volatile>", "title": "Page {unique}"},
        "error": {"code": "badtoken", "info": "<text>", "*": "<docref>"},
        # A far-future expiry given by the scenario is behaviour, not noise.
        "protect": {"protections": [{"edit": "sysop", "expiry": "2099-01-01T00:00:00Z"}]}}


def test_cookie_summary_keeps_names_lifetimes_and_deletions(tool: ModuleType) -> None:
    headers = ["oraclewiki_session=abc; path=/; HttpOnly",
               "oraclewikiUserID=3; expires=Sat, 20 Dec 2025 21:00:00 GMT; Max-Age=2592000; path=/",
               "wikigateToken=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/",
               "cpPosIndex=1%401; Max-Age=10; path=/"]
    assert tool.cookie_summary(headers) == ["<prefix>Token (deleted)", "<prefix>UserID (max-age 2592000)",
                                            "<prefix>_session"]


def test_deliberate_entries_explain_only_what_they_name(tool: ModuleType) -> None:
    entries = [{"module": "resetpassword", "scenario": "resetpassword-user-and-email",
                "path": "step1.body.*", "reason": "the seed asks for invalidparammix"}]
    named = tool.Difference("step1.body.error", "<absent>", {"code": "invalidparammix"})
    assert tool.explain("resetpassword", "resetpassword-user-and-email", named, entries).reason
    assert tool.explain("resetpassword", "resetpassword-nodata", named, entries).reason is None


@pytest.mark.parametrize("module", MODULES)
def test_module_agrees_with_mediawiki(module: str, wikigate_answers: dict[str, Any], tool: ModuleType) -> None:
    expected = tool.load_fixtures({module})
    outcomes = tool.judge(expected, wikigate_answers, tool.load_deliberate())
    assert len(outcomes) == len(expected[module])
    unexplained = [
        f"{o.scenario} {d.path}: mediawiki={tool.short(d.expected)} wikigate={tool.short(d.actual)}"
        for o in outcomes for d in o.unexplained
    ]
    assert not unexplained, "differences from MediaWiki 1.39:\n" + "\n".join(unexplained)
