"""The summaries MediaWiki 1.39 writes when none is given (in the content language, English).

For an edit, checked in order: a new or changed redirect target, a removed redirect, a
new page (its text, truncated), a blanked page, a page cut to under a tenth
of its size and under 500 bytes (its new text, truncated), a new empty page.
The texts are those the editor sent, before the pre-save transform.
"""

from __future__ import annotations

from collections.abc import Callable

# The comment column holds 500 bytes; a quoted text gets what its message leaves free.
_COMMENT_BYTES = 500
_ELLIPSIS = "..."


def truncate_bytes(text: str, limit: int) -> str:
    """Language::truncateForDatabase: at most `limit` UTF-8 bytes, cut ones ending in "..."."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    kept = encoded[:limit - len(_ELLIPSIS)].decode("utf-8", errors="ignore")
    return kept.rstrip(" \t\n\r\0\x0b") + _ELLIPSIS


def _quoted(message: str, text: str, *, placeholder_counts: bool = True) -> str:
    """The message (holding `$1`) with the text on one line, cut to what the comment column leaves.

    An edit's summary counts the placeholder's two bytes as taken; a deletion's reason does not.
    """
    room = _COMMENT_BYTES - len(message.encode("utf-8")) + (0 if placeholder_counts else 2)
    flat = text.replace("\n", " ").replace("\r", " ")
    return message.replace("$1", truncate_bytes(flat, room))


def autosummary(old_text: str | None, new_text: str, redirect_of: Callable[[str], str | None]) -> str:
    """The summary for a save of `new_text` over `old_text` (None: a page being created).

    `redirect_of` gives a text's redirect target as a link writes it
    (`Title#fragment`), or None when the text is no redirect.
    """
    old_target = redirect_of(old_text) if old_text is not None else None
    new_target = redirect_of(new_text)
    if new_target is not None:
        if old_target is None:
            return f"Redirected page to [[{new_target}]]"
        if new_target != old_target:
            return f"Changed redirect target from [[{old_target}]] to [[{new_target}]]"
    elif old_target is not None:
        return f"Removed redirect to [[{old_target}]]"
    new_size = len(new_text.encode("utf-8"))
    if old_text is None:
        return _quoted('Created page with "$1"', new_text) if new_size else "Created blank page"
    old_size = len(old_text.encode("utf-8"))
    if old_size and not new_size:
        return "Blanked the page"
    if old_size > 10 * new_size and new_size < 500:
        return _quoted('Replaced content with "$1"', new_text)
    return ""


def auto_delete_reason(latest_text: str, previous_text: str | None, only_author: str | None) -> str:
    """The reason for a deletion given none: the page's text, or the text it had before it was blanked.

    `only_author` names the one contributor among the page's first twenty revisions, if there is one.
    """
    if not latest_text and previous_text is not None:
        return _quoted('content before blanking was: "$1"', previous_text, placeholder_counts=False)
    if only_author:
        message = (f'content was: "$1", and the only contributor was "[[Special:Contributions/{only_author}|'
                   f'{only_author}]]" ([[User talk:{only_author}|talk]])')
        return _quoted(message, latest_text, placeholder_counts=False)
    return _quoted('content was: "$1"', latest_text, placeholder_counts=False)
