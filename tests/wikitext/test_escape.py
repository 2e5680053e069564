"""Literal text escaped for wikitext exactly as MediaWiki 1.39.17 escaped it (each case sent to the reference wiki
as a bad `loginreturnurl` and read back from its raw error)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wikigate.wikitext.escape import escape_wikitext

RECORDED = [
    ("[[Main Page]] {{x}} <b> & 'q' \"d\"",
     "&#91;&#91;Main Page&#93;&#93; &#123;&#123;x&#125;&#125; &#60;b&#62; &#38; &#39;q&#39; &#34;d&#34;"),
    ("#a=b|c;d!!e__f://g~~~h\n*i\n:j\n k\n#l\n----m ISBN 123 RFC 9 PMID 7 x!y _z ~~ ok",
     "&#35;a&#61;b&#124;c&#59;d!!e_&#95;f&#58;//g~~~h\n&#42;i\n&#58;j\n&#32;k\n&#35;l\n&#45;---m ISBN 123 RFC 9 "
     "PMID 7 x!y _z ~~ ok"),
    ("*start", "&#42;start"),
    ("!start", "!start"),
    (" start", "&#32;start"),
    (":start", "&#58;start"),
    ("a\n!b\n\nc\r\nd\n\te\r!f", "a\n!b\n&#10;c&#13;\nd\n&#9;e\r!f"),
    ("x:y http://z", "x:y http&#58;//z"),
    ("a--b", "a--b"),
    ("<!-- c -->", "&#60;!-- c --&#62;"),
    ("§ é ✓", "§ é ✓"),
]


@pytest.mark.parametrize(("text", "escaped"), RECORDED)
def test_escapes_as_mediawiki_1_39_does(text: str, escaped: str) -> None:
    assert escape_wikitext(text) == escaped


# Without \r: MediaWiki escapes the \r of \r\n and then leaves the next line's start alone.
@given(st.text(alphabet="[]{}<>|=&;\"'#*: \t\n-_/abc!~", max_size=40))
def test_escaped_text_opens_no_link_template_tag_or_list(text: str) -> None:
    escaped = escape_wikitext(text)
    for markup in ("[[", "]]", "{{", "}}", "<", ">", "|", "://"):
        assert markup not in escaped
    lines = escaped.split("\n")
    assert not any(line[:1] in ("#", "*", ":", " ") or line.startswith("----") for line in lines)
