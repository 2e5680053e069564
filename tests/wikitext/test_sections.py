"""Section boundaries and section edits agree with MediaWiki 1.39's own answers.

The fixtures were recorded from the reference wiki by tools/record_sections.py:
random texts built from brackets, comments, tags and "=" runs, each section
read back with rvsection, and section edits made through action=edit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikigate.wikitext.sections import (
    PHP_WHITESPACE,
    InvalidSection,
    get_section,
    headings,
    parse_section_id,
    replace_section,
    rtrim,
)

CASES = json.loads((Path(__file__).parent / "sections.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: repr(case["text"][:40]))
def test_every_section_is_cut_where_mediawiki_cuts_it(case: dict) -> None:
    for section, expected in case["sections"].items():
        assert get_section(case["text"], section) == expected, section


@pytest.mark.parametrize("case", CASES, ids=lambda case: repr(case["text"][:40]))
def test_section_edits_give_mediawikis_text(case: dict) -> None:
    for edit in case["edits"]:
        replaced = replace_section(case["text"], edit["section"], edit["text"])
        if edit["error"] is not None:
            assert edit["error"] == "nosuchsection" and replaced is None
        else:
            assert replaced == edit["result"], edit


def test_lead_section_edit_keeps_the_other_sections() -> None:
    text = "Lead\n== A ==\nS1\n== B ==\nS2"
    assert replace_section(text, "0", "New lead") == "New lead\n\n== A ==\nS1\n== B ==\nS2"


def test_a_section_runs_through_its_subsections() -> None:
    text = "Lead\n== A ==\nS1\n=== A1 ===\nsub\n== B ==\nS2"
    assert get_section(text, "1") == "== A ==\nS1\n=== A1 ===\nsub"
    assert get_section(text, "2") == "=== A1 ===\nsub"


def test_headings_in_templates_take_a_number_but_are_not_sections() -> None:
    text = "{{foo|\n== X ==\n}}\n== Y ==\nbody"
    assert [heading.index for heading in headings(text)] == [2]
    assert get_section(text, "1") is None


@pytest.mark.parametrize("wrapper", ["<!--\n{}\n-->", "<nowiki>\n{}\n</nowiki>", "<pre>\n{}\n</pre>"])
def test_headings_in_comments_and_opaque_tags_do_not_count(wrapper: str) -> None:
    text = wrapper.format("== Hidden ==") + "\n== Real ==\nbody"
    assert [heading.index for heading in headings(text)] == [1]
    assert get_section(text, "1") == "== Real ==\nbody"


def test_a_comment_may_end_a_heading_line() -> None:
    assert [(h.level, h.index) for h in headings("==A== <!-- note -->\nx")] == [(2, 1)]


def test_removing_a_section_removes_its_heading_too() -> None:
    assert replace_section("Lead\n== A ==\nS1\n== B ==\nS2", "2", "") == "Lead\n== A ==\nS1"


def test_only_sections_that_exist_can_be_replaced() -> None:
    assert replace_section("Lead\n== A ==\nx", "2", "y") is None
    assert replace_section("", "1", "y") is None
    assert replace_section("", "0", "y") == "y"


@pytest.mark.parametrize("section", ["x", " 1", "1 ", "-1", "new", "T-", "t-1", ""])
def test_malformed_section_ids_are_refused(section: str) -> None:
    with pytest.raises(InvalidSection):
        parse_section_id(section)


def test_section_ids_are_numbers_with_an_optional_transclusion_prefix() -> None:
    assert parse_section_id("01") == (1, False)
    assert parse_section_id("T-3") == (3, True)


_HEADINGS = st.sampled_from(["\n== H ==\n", "\n=== S ===\n", "\n= T =\n", "\n==U== <!-- c -->\n"])
_NOISE = st.sampled_from([
    "\n", "== A ==", "=B=", "===", "=", " ", "text", "{{", "}}", "{{{", "}}}", "[[", "]]", "-{", "}-",
    "|", "x=y", "<!--", "-->", "<nowiki>", "</nowiki>", "<pre>", "</pre>", "<includeonly>", "<onlyinclude>",
    "</onlyinclude>", "<noinclude>",
])
_PAGES = st.lists(st.one_of(_HEADINGS, _HEADINGS, _NOISE), max_size=30).map("".join)


@settings(max_examples=400)
@given(_PAGES, st.integers(0, 8), st.booleans(),
       st.text(alphabet="ab=\n ", max_size=12))
def test_a_section_edit_never_touches_text_outside_the_section(text: str, number: int, transcluded: bool,
                                                                 new_text: str) -> None:
    section = f"T-{number}" if transcluded else str(number)
    old = get_section(text, section)
    replaced = replace_section(text, section, new_text)
    if old is None:
        assert replaced is None
        return
    assert replaced is not None
    # The result is the old text with one contiguous span (the section and the blank space after
    # it) swapped for the new text: nothing else of the page is lost or moved.
    middle = new_text + "\n\n" if new_text else ""
    assert any(replaced == rtrim(text[:start] + middle + text[end:]) for start, end in _spans(text, old))
    if number > 0:
        assert old.startswith("=")


def _spans(text: str, section_text: str) -> Iterator[tuple[int, int]]:
    """Every place `section_text` occurs, with or without the whitespace that follows it."""
    for start in range(len(text) + 1):
        if text.startswith(section_text, start):
            end = start + len(section_text)
            yield start, end
            while end < len(text) and text[end] in PHP_WHITESPACE:
                end += 1
                yield start, end
