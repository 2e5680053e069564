"""The sections of a wikitext as action=parse&prop=sections lists them, without rendering the page.

A heading's `line` is its text with links shown as their labels and bold
and italic quotes as <b> and <i> (the inline markup headings usually
hold); its anchor is that text without tags, spaces turned to underscores,
a repeated one numbered _2, _3, …. Levels are numbered as MediaWiki's
table of contents numbers them: relative to the headings above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wikigate.wikitext.sections import headings

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_LINK = re.compile(r"\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class TocEntry:
    toclevel: int
    level: int
    line: str
    number: str
    index: int
    byteoffset: int
    anchor: str


def _inline(text: str) -> str:
    text = _LINK.sub(lambda m: (m.group(2) if m.group(2) is not None else m.group(1)).strip(), text)
    text = re.sub(r"'''(.+?)'''", r"<b>\1</b>", text)
    return re.sub(r"''(.+?)''", r"<i>\1</i>", text)


def _heading_text(text: str, start: int, level: int) -> str:
    end = text.find("\n", start)
    line = _COMMENT.sub("", text[start:] if end < 0 else text[start:end]).strip()
    return line[level:len(line) - level].strip()


def table_of_contents(text: str) -> list[TocEntry]:
    entries: list[TocEntry] = []
    levels: list[int] = []  # the heading levels open above, outermost first
    counters: list[int] = []
    used: dict[str, int] = {}
    for heading in headings(text):
        while levels and levels[-1] >= heading.level:
            levels.pop()
            if len(counters) > len(levels) + 1:
                counters.pop()
        levels.append(heading.level)
        depth = len(levels)
        del counters[depth:]
        while len(counters) < depth:
            counters.append(0)
        counters[depth - 1] += 1
        line = _inline(_heading_text(text, heading.start, heading.level))
        anchor = re.sub(r"\s+", "_", _TAG.sub("", line).strip())
        used[anchor] = used.get(anchor, 0) + 1
        if used[anchor] > 1:
            anchor = f"{anchor}_{used[anchor]}"
        entries.append(TocEntry(depth, heading.level, line, ".".join(str(c) for c in counters), heading.index,
                                len(text[:heading.start].encode("utf-8")), anchor))
    return entries
