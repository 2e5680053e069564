"""Signatures and line endings as MediaWiki 1.39.17 saved them (texts sent to the reference wiki, read back)."""

from __future__ import annotations

from datetime import UTC, datetime

from wikigate.wikitext.pst import pre_save_transform

NOW = datetime(2026, 12, 1, 18, 55, tzinfo=UTC).timestamp()
STAMP = "18:55, 1 December 2026 (UTC)"


def test_signatures_outside_comments_nowiki_and_pre_as_recorded() -> None:
    sent = ("A ~~~ B ~~~~ C ~~~~~ D <nowiki>~~~~</nowiki> E <!-- ~~~~ --> F <pre>~~~</pre> G ~~~~~~ H\r\n"
            "line2  \r\n\r\n")
    saved = pre_save_transform(sent, user_name="Alice", anonymous=False, now=NOW).rstrip()
    assert saved == (f"A [[User:Alice|Alice]] ([[User talk:Alice|talk]]) B [[User:Alice|Alice]] "
                     f"([[User talk:Alice|talk]]) {STAMP} C {STAMP} D <nowiki>~~~~</nowiki> E <!-- ~~~~ --> F "
                     f"<pre>~~~</pre> G {STAMP}~ H\nline2")


def test_an_anonymous_signature_links_the_contributions() -> None:
    saved = pre_save_transform("anon ~~~~ and ~~~", user_name="127.0.0.1", anonymous=True, now=NOW)
    assert saved == (f"anon [[Special:Contributions/127.0.0.1|127.0.0.1]] {STAMP} and "
                     "[[Special:Contributions/127.0.0.1|127.0.0.1]]")


def test_an_unclosed_comment_keeps_its_tildes() -> None:
    assert pre_save_transform("x <!-- ~~~~", user_name="A", anonymous=False, now=NOW) == "x <!-- ~~~~"
