"""Sections of a wikitext: which headings count, and replacing one section.

MediaWiki decides what a section is with its preprocessor, not with a
regular expression: a heading is a line that starts and ends with "=", but
only at the top level of the document. A heading inside a template call
(`{{foo|\\n== X ==\\n}}`) still takes a section number, yet is not a section
of the page; headings inside comments, `<nowiki>`, `<pre>` and the other
extension tags are plain text. Getting any of this wrong makes a section
edit replace the wrong span of text, so this module follows the
preprocessor's scanning rules closely (brackets, comments that end a heading
line, unclosed brackets that give their content back to the page, and the
inclusion mode behind `T-` section ids) while keeping only what decides
where headings are.

Offsets are code points, not bytes: every character the scanner looks for is
ASCII, so the spans are the same ones MediaWiki cuts in UTF-8.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

# Tag hooks of a 1.39 wiki without extensions that register more; their
# contents are opaque to the heading scanner. siteinfo's extensiontags lists
# the same names.
EXTENSION_TAGS = ("pre", "nowiki", "gallery", "indicator", "langconvert")

_SECTION_ID = re.compile(r"(T-)?(\d+)", re.ASCII)
_SPACES = " \t"


@dataclass(frozen=True, slots=True)
class Heading:
    start: int  # offset of the heading's first "="
    level: int
    index: int  # its section number (headings inside templates take one too)


class InvalidSection(ValueError):
    """The section id is not a number (optionally prefixed with T-)."""


def parse_section_id(section: str) -> tuple[int, bool]:
    """A section id as (number, for_inclusion); `T-2` is section 2 of the transcluded view."""
    match = _SECTION_ID.fullmatch(section)
    if match is None:
        raise InvalidSection(section)
    return int(match.group(2)), match.group(1) is not None


def headings(text: str, *, for_inclusion: bool = False) -> list[Heading]:
    """The top-level headings of `text`, in order."""
    return _Scanner(text, for_inclusion).run()


def _span(text: str, number: int, for_inclusion: bool) -> tuple[int, int] | None:
    """Where section `number` starts and ends, or None when it does not exist."""
    if text == "":
        return (0, 0) if number == 0 else None
    found = headings(text, for_inclusion=for_inclusion)
    if number == 0:
        level, start, rest = 1000, 0, found
    else:
        position = next((k for k, heading in enumerate(found) if heading.index == number), None)
        if position is None:
            return None
        level, start, rest = found[position].level, found[position].start, found[position + 1:]
    # A section runs on through its subsections, up to a heading as big as its own.
    end = next((heading.start for heading in rest if heading.level <= level), len(text))
    return start, end


def get_section(text: str, section: str) -> str | None:
    """The text of one section (heading included), or None when there is no such section."""
    number, for_inclusion = parse_section_id(section)
    span = _span(text, number, for_inclusion)
    if span is None:
        return None
    return rtrim(text[span[0]:span[1]])


def replace_section(text: str, section: str, new_text: str) -> str | None:
    """`text` with one section replaced by `new_text`, or None when there is no such section.

    As in MediaWiki, the replacement is followed by a blank line (editors
    strip trailing whitespace, and the paragraph break before the next
    heading must survive), and the result loses its trailing whitespace.
    """
    number, for_inclusion = parse_section_id(section)
    span = _span(text, number, for_inclusion)
    if span is None:
        return None
    start, end = span
    middle = new_text + "\n\n" if new_text != "" else ""
    return rtrim(text[:start] + middle + text[end:])


# What PHP's trim() and rtrim() strip by default.
PHP_WHITESPACE = " \t\n\r\0\x0b"


def rtrim(text: str) -> str:
    """PHP's rtrim(): MediaWiki strips these characters from the end of every saved text."""
    return text.rstrip(PHP_WHITESPACE)


# -- the scanner --------------------------------------------------------------

@dataclass(slots=True)
class _Part:
    """One "|"-separated part of an open bracket, with the headings found in it so far."""

    marks: list[Heading] = field(default_factory=list)
    has_equals: bool = False
    comment_end: int | None = None  # offset of the last character of the latest comment
    visual_end: int | None = None  # where the text before that comment (and its spaces) ends


@dataclass(slots=True)
class _Open:
    """An open bracket (`{{`, `[[`, `-{`) or a line that began with "=" (opener "\\n")."""

    opener: str
    closer: str
    count: int
    start: int = 0
    saved_prefix: str = ""
    parts: list[_Part] = field(default_factory=lambda: [_Part()])

    def marks(self) -> list[Heading]:
        return [mark for part in self.parts for mark in part.marks]


# opener -> (closer, counts that make an element, counts that are only text, min, max)
_RULES: dict[str, tuple[str, frozenset[int], frozenset[int], int, int]] = {
    "{": ("}", frozenset({2, 3}), frozenset(), 2, 3),
    "[": ("]", frozenset(), frozenset({2}), 2, 2),
    "-{": ("}-", frozenset(), frozenset({2}), 2, 2),
}
_ALLOW_MISSING_END = ("includeonly", "noinclude", "onlyinclude")


@functools.cache
def _stop_pattern(characters: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(characters)}]")


class _Scanner:
    def __init__(self, text: str, for_inclusion: bool) -> None:
        self.text = text
        # The element skipped whole (noinclude when transcluded, includeonly otherwise) hides
        # its headings just as an extension tag does, so the two need no different handling.
        if for_inclusion:
            self.ignored_tags: tuple[str, ...] = ("includeonly", "/includeonly")
            elements = (*EXTENSION_TAGS, "noinclude")
            self.only_include = "<onlyinclude>" in text and "</onlyinclude>" in text
        else:
            self.ignored_tags = ("noinclude", "/noinclude", "onlyinclude", "/onlyinclude")
            elements = (*EXTENSION_TAGS, "includeonly")
            self.only_include = False
        names = "|".join(re.escape(name) for name in (*elements, *self.ignored_tags))
        self.element = re.compile(rf"({names})(?:[ \t\n\v\f\r]|/>|>)|(!--)", re.IGNORECASE | re.ASCII)
        self.no_more_gt = False
        self.unclosed: set[str] = set()
        self.stack: list[_Open] = []
        self.root: list[Heading] = []
        self.next_index = 1

    # The flags MediaWiki derives from the innermost open bracket.
    def _find_pipe(self) -> bool:
        return bool(self.stack) and self.stack[-1].opener not in ("\n", "[")

    def _find_equals(self) -> bool:
        if not self._find_pipe():
            return False
        parts = self.stack[-1].parts
        return len(parts) > 1 and not parts[-1].has_equals

    def _in_heading(self) -> bool:
        return bool(self.stack) and self.stack[-1].opener == "\n"

    def _marks(self) -> list[Heading]:
        return self.stack[-1].parts[-1].marks if self.stack else self.root

    def _spaces_before(self, position: int) -> int:
        count = 0
        while position - count > 0 and self.text[position - count - 1] in _SPACES:
            count += 1
        return count

    def _spaces_from(self, position: int) -> int:
        count = 0
        while position + count < len(self.text) and self.text[position + count] in _SPACES:
            count += 1
        return count

    def run(self) -> list[Heading]:
        text = self.text
        length = len(text)
        i = 0
        fake_line_start = True
        skipping = self.only_include
        while True:
            if skipping:
                # Inclusion mode with <onlyinclude>: everything outside it is ignored.
                found_at = text.find("<onlyinclude>", i)
                if found_at < 0:
                    break
                i = found_at + len("<onlyinclude>")
                skipping = False
            if fake_line_start:
                fake_line_start = False
                i = self._line_start(i, newline=False)
                continue
            search = "[{<\n-"
            closer = self.stack[-1].closer if self.stack else ""
            search += closer
            if self._find_pipe():
                search += "|"
            if self._find_equals():
                search += "="
            stop = _stop_pattern(search).search(text, i)
            i = stop.start() if stop else length
            if i >= length:
                if closer == "\n":
                    self._line_end(i)
                    continue
                break
            char = text[i]
            two = text[i:i + 2]
            if char == "|":
                self.stack[-1].parts.append(_Part())
                i += 1
            elif char == "=":
                self.stack[-1].parts[-1].has_equals = True
                i += 1
            elif char == "<":
                if self.only_include and text.startswith("</onlyinclude>", i):
                    skipping = True
                    continue
                i, fake_line_start = self._angle(i)
            elif char == "\n":
                if self._in_heading():
                    self._line_end(i)
                else:
                    i = self._line_start(i, newline=True)
            elif closer and (two == closer or char == closer):
                i = self._close(i, two if two == closer else char)
            elif two in _RULES:
                i = self._open(i, two)
            elif char in _RULES:
                i = self._open(i, char)
            else:
                i += 1  # a lone "-", "}" or "]" is plain text
        for piece in self.stack:
            # Brackets never closed give their content back to the page.
            self.root.extend(piece.marks())
        return self.root

    def _line_start(self, i: int, *, newline: bool) -> int:
        if newline:
            i += 1
        count = 0
        while count < 6 and i + count < len(self.text) and self.text[i + count] == "=":
            count += 1
        # A single "=" inside a template argument is taken for a name/value separator.
        if count > 0 and not (count == 1 and self._find_equals()):
            self.stack.append(_Open("\n", "\n", count, start=i))
            i += count
        return i

    def _line_end(self, i: int) -> None:
        piece = self.stack.pop()
        part = piece.parts[-1]
        text = self.text
        search_start = i - self._spaces_before(i)
        if part.comment_end is not None and search_start - 1 == part.comment_end and part.visual_end is not None:
            # A comment at the end of the line: the closing "=" come before it.
            search_start = part.visual_end - self._spaces_before(part.visual_end)
        equals = 0
        while search_start - equals > 0 and text[search_start - equals - 1] == "=":
            equals += 1
        level = 0
        if equals > 0:
            if search_start - equals == piece.start:
                # A line of nothing but "=": "===" is a level-1 heading of "=".
                level = 0 if equals < 3 else min(6, (equals - 1) // 2)
            else:
                level = min(equals, piece.count)
        if level > 0:
            self._marks().append(Heading(piece.start, level, self.next_index))
            self.next_index += 1
        else:
            self._marks().extend(part.marks)

    def _open(self, i: int, opener: str) -> int:
        text = self.text
        if len(opener) > 1:
            count = 1
            while i + count < len(text) and text[i + count] == opener[-1]:
                count += 1
        else:
            count = 0
            while i + count < len(text) and text[i + count] == opener:
                count += 1
        saved_prefix = ""
        if opener == "-{" and count > 2:
            # "-{{" is "-" then a template: the rightmost reading wins.
            saved_prefix, opener = "-", "{"
            i += 1
            count -= 1
        closer, _, _, minimum, _ = _RULES[opener]
        if count >= minimum:
            self.stack.append(_Open(opener, closer, count, saved_prefix=saved_prefix))
        return i + count

    def _close(self, i: int, closing: str) -> int:
        piece = self.stack[-1]
        _, elements, texts, minimum, maximum = _RULES[piece.opener]
        if len(closing) > 1:
            count = len(closing)
        else:
            count = 0
            while count < piece.count and i + count < len(self.text) and self.text[i + count] == closing:
                count += 1
        if count > maximum:
            matching = maximum
        else:
            matching = count
            while matching > 0 and matching not in elements and matching not in texts:
                matching -= 1
        if matching <= 0:
            return i + count
        # An element (template, argument) hides its headings; mere text gives them back.
        kept = [] if matching in elements else piece.marks()
        self.stack.pop()
        if matching < piece.count:
            piece.parts = [_Part()]
            piece.count -= matching
            if piece.count >= minimum:
                self.stack.append(piece)
            elif piece.count == 1 and piece.opener == "{" and piece.saved_prefix == "-":
                piece.saved_prefix, piece.opener, piece.count = "", "-{", 2
                piece.closer = _RULES["-{"][0]
                self.stack.append(piece)
        self._marks().extend(kept)
        return i + matching

    def _angle(self, i: int) -> tuple[int, bool]:
        """A comment or a tag at `i`; the new offset, and whether a line start follows."""
        text = self.text
        match = self.element.match(text, i + 1)
        if match is None:
            return i + 1, False
        if match.group(2):
            return self._comment(i)
        name = match.group(1)
        tag_end = -1 if self.no_more_gt else text.find(">", i + len(name) + 1)
        if tag_end < 0:
            # No ">" anywhere after this point: no later tag can end either.
            self.no_more_gt = True
            return i + 1, False
        lower = name.lower()
        if lower in self.ignored_tags:
            return tag_end + 1, False
        if text[tag_end - 1] == "/":
            return tag_end + 1, False
        close = None
        if lower not in self.unclosed:
            pattern = rf"</{re.escape(name)}[ \t\n\v\f\r]*>"
            close = re.compile(pattern, re.IGNORECASE | re.ASCII).search(text, tag_end + 1)
        if close is not None:
            return close.end(), False
        if name in _ALLOW_MISSING_END:
            return len(text), False
        # Remembered, so that "<pre><pre><pre>…" does not search the rest of the text each time.
        self.unclosed.add(lower)
        return tag_end + 1, False

    def _comment(self, i: int) -> tuple[int, bool]:
        text = self.text
        end = text.find("-->", i + 4)
        if end < 0:
            return len(text), False
        ws_start = i - self._spaces_before(i) if i else 0
        ws_end = end + 2 + self._spaces_from(end + 3)
        while text.startswith("<!--", ws_end + 1):
            following = text.find("-->", ws_end + 5)
            if following < 0:
                break
            ws_end = following + 2 + self._spaces_from(following + 3)
        eats_line = ws_start > 0 and text[ws_start - 1] == "\n" and text[ws_end + 1:ws_end + 2] == "\n"
        if eats_line:
            # A line holding only comments vanishes, newline included; a heading may follow.
            comment_end = ws_end + 1
        else:
            comment_end = end + 2
        if self.stack:
            part = self.stack[-1].parts[-1]
            if not (part.comment_end is not None and part.comment_end == ws_start - 1):
                part.visual_end = ws_start
            part.comment_end = comment_end
        return comment_end + 1, eats_line
