"""Undo merges as MediaWiki 1.39.17 made them: three revisions saved on the reference wiki, the middle one
undone, the saved text (or the undofailure) recorded in undo_cases.json by a probe of random small texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wikigate.wikitext.undo import undo_text

CASES = json.loads((Path(__file__).parent / "undo_cases.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=[str(n) for n in range(len(CASES))])
def test_undoing_the_middle_revision_merges_as_recorded(case: dict[str, object]) -> None:
    first, second, third = case["texts"]  # type: ignore[misc]
    merged = undo_text(third, second, first)
    if case["undone"]:
        assert merged is not None and merged.rstrip() == case["saved"]
    else:
        assert merged is None


def test_undoing_the_latest_revision_restores_the_one_before() -> None:
    assert undo_text("two", "two", "one") == "one"
