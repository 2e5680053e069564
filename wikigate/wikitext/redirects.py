"""Which wikitext is a redirect, and to what, as MediaWiki 1.39 reads `#REDIRECT [[...]]`."""

from __future__ import annotations

import re
from urllib.parse import unquote

from wikigate import titles

_REDIRECT = re.compile(r"#REDIRECT", re.IGNORECASE)
# After the magic word: an optional colon, then the first link; a label is ignored.
_LINK = re.compile(r"\s*:?\s*\[\[(.*?)(?:\|.*?)?\]\]")
# Special pages that act rather than show something make no redirect target.
_UNREDIRECTABLE_SPECIAL = {"Userlogout", "Filepath"}


def redirect_link(text: str) -> str | None:
    """The link text a redirect page points with, or None when the text is no redirect."""
    text = text.lstrip(" \t\n\r\0\x0b")
    magic = _REDIRECT.match(text)
    if magic is None:
        return None
    link = _LINK.match(text, magic.end())
    if link is None:
        return None
    target = link.group(1)
    # As inline links are read: a %-escaped target is decoded, after its escaping colon.
    return unquote(target.lstrip(":")) if "%" in target else target


def redirect_target(text: str, namespaces: titles.Namespaces) -> tuple[titles.Title, str] | None:
    """The title a redirect page leads to and the fragment (with spaces), or None."""
    link = redirect_link(text)
    if link is None:
        return None
    try:
        title = titles.parse_title(link, namespaces)
    except titles.InvalidTitle:
        return None
    if title.dbkey == "" or (title.is_special and title.dbkey in _UNREDIRECTABLE_SPECIAL):
        return None
    fragment = link.partition("#")[2].replace("_", " ").strip() if "#" in link else ""
    return title, fragment


def full_text(target: tuple[titles.Title, str]) -> str:
    """`Help:Baz q#A b`: the target as a link names it."""
    title, fragment = target
    return f"{title.prefixed_text}#{fragment}" if fragment else title.prefixed_text
