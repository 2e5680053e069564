"""Automatic summaries and redirect targets as MediaWiki 1.39.17 wrote and read them (edits without a summary
saved on the reference wiki, one after another, their history read back)."""

from __future__ import annotations

from wikigate import titles
from wikigate.wikitext import redirects
from wikigate.wikitext.autosummary import autosummary

NAMESPACES = titles.namespaces("Wiki")


def redirect_of(text: str) -> str | None:
    target = redirects.redirect_target(text, NAMESPACES)
    return None if target is None else redirects.full_text(target)


def test_a_sequence_of_edits_summarised_as_recorded() -> None:
    texts = ["line one\nline two\r\nthree  " + "é" * 100 + "abc" * 300, "x" * 40, "y" * 400, "tiny",
             "#REDIRECT [[Elsewhere#Frag]]", "#REDIRECT [[Elsewhere#Frag2]] more",
             "#redirect [[elsewhere#Frag2]] more", "=A=\nfoo\n==B==\nbar", ""]
    summaries, old = [], None
    for text in texts:
        summaries.append(autosummary(old, text, redirect_of))
        old = text
    assert summaries == [
        'Created page with "line one line two  three  ' + "é" * 100 + "abc" * 83 + '..."',
        'Replaced content with "' + "x" * 40 + '"', "", 'Replaced content with "tiny"',
        "Redirected page to [[Elsewhere#Frag]]",
        "Changed redirect target from [[Elsewhere#Frag]] to [[Elsewhere#Frag2]]", "",
        "Removed redirect to [[Elsewhere#Frag2]]", "Blanked the page"]


def test_quoted_texts_are_cut_to_the_comment_column_as_recorded() -> None:
    def created(text: str) -> str:
        return autosummary(None, text, redirect_of)

    assert created("") == "Created blank page"
    assert created("a" * 178) == 'Created page with "' + "a" * 178 + '"'
    assert created("a" * 600) == 'Created page with "' + "a" * 475 + '..."'
    cut = created("é" * 300)  # 600 bytes: a half character is not kept
    assert cut == 'Created page with "' + "é" * 237 + '..."' and len(cut.encode()) == 497
    assert created("a" * 474 + " " + "b" * 100) == 'Created page with "' + "a" * 474 + '..."'
    assert created("a" * 474 + "\n" + "b" * 100) == 'Created page with "' + "a" * 474 + '..."'
    assert created("a" * 470 + "  " + "b" * 100) == 'Created page with "' + "a" * 470 + '  bbb..."'


def test_redirect_targets_read_as_recorded() -> None:
    assert redirect_of("  #REDIRECT [[ foo_bar |x]]") == "Foo bar"
    assert redirect_of("#REDIRECT:[[Help:Baz%20q#A_b]]") == "Help:Baz q#A b"
    assert redirect_of("#REDIRECT\n[[Foo]]") == "Foo"
    assert redirect_of("#REDIRECT [[Special:Userlogout]]") is None
    assert redirect_of("#REDIRECT [[]]") is None
    assert redirect_of("#REDIRECT [[Bad<title]]") is None
    assert redirect_of("Text #REDIRECT [[Foo]]") is None
