"""Undoing revisions as MediaWiki 1.39 does: a three-way merge by GNU diff3, with its flags.

Undoing the revisions after `undo_after` up to `undo` takes the change from
`undo` back to `undo_after` and applies it to the current text. When the
current text is the undone one, that is simply `undo_after`'s text;
otherwise diff3 merges the three (the undone text as the common ancestor)
and any overlapping change makes the undo impossible. MediaWiki runs the
same program (`$wgDiff3`), so the same lines merge or conflict here as
there; Python merge libraries align lines differently in corner cases.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

DIFF3 = shutil.which("diff3") or "/usr/bin/diff3"


def undo_text(current: str, undone: str, undo_after: str) -> str | None:
    """The text with the change from `undo_after` to `undone` reverted, or None when it conflicts."""
    if current == undone:
        return undo_after
    return merge3(undone, undo_after, current)


def merge3(old: str, mine: str, yours: str) -> str | None:
    """wfMerge: `mine` and `yours` both derived from `old`; None on overlapping changes (or no diff3)."""
    if not Path(DIFF3).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="wikigate-merge-") as directory:
        names = []
        for name, text in (("mine", mine), ("old", old), ("yours", yours)):
            path = Path(directory) / name
            # As MediaWiki writes them: trailing whitespace trimmed, one final newline.
            path.write_text(text.rstrip() + "\n", encoding="utf-8")
            names.append(str(path))
        overlaps = subprocess.run([DIFF3, "-a", "--overlap-only", *names], capture_output=True, timeout=30)
        if overlaps.stdout:
            return None
        merged = subprocess.run([DIFF3, "-a", "-e", "--merge", *names], capture_output=True, timeout=30)
    result = merged.stdout.decode("utf-8", errors="replace")
    return None if result == "" and old != "" else result
