"""The pre-save transform of a wikitext edit: signatures and line endings, as MediaWiki 1.39 saves them.

`~~~` becomes the editor's signature, `~~~~` the signature and the time,
`~~~~~` the time alone (five first, so `~~~~~~` leaves one tilde after the
time), except inside comments, `<nowiki>` and `<pre>`, which keep their text.
Line breaks become `\\n`. Read off the reference wiki's saved revisions.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

# Text the transform leaves alone; an unclosed comment runs to the end.
_INERT = re.compile(r"<!--.*?(?:-->|\Z)|<nowiki>.*?</nowiki>|<pre>.*?</pre>", re.S | re.I)


def signature(user_name: str, *, anonymous: bool) -> str:
    if anonymous:
        return f"[[Special:Contributions/{user_name}|{user_name}]]"
    return f"[[User:{user_name}|{user_name}]] ([[User talk:{user_name}|talk]])"


def timestamp(now: float) -> str:
    """`18:55, 1 December 2026 (UTC)`: the wiki's default date format."""
    moment = datetime.fromtimestamp(now, tz=UTC)
    return f"{moment:%H:%M}, {moment.day} {moment:%B %Y} (UTC)"


def pre_save_transform(text: str, *, user_name: str, anonymous: bool, now: float) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sign, stamp = signature(user_name, anonymous=anonymous), timestamp(now)

    def transform(segment: str) -> str:
        return segment.replace("~~~~~", stamp).replace("~~~~", f"{sign} {stamp}").replace("~~~", sign)

    parts: list[str] = []
    position = 0
    for inert in _INERT.finditer(text):
        parts += [transform(text[position:inert.start()]), inert.group(0)]
        position = inert.end()
    parts.append(transform(text[position:]))
    return "".join(parts)
