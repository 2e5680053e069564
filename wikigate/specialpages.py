"""The special pages a MediaWiki 1.39 wiki knows, by canonical name and alias.

The names come from `wikigate/data/special-pages.json` (the list a stock 1.39
with OATHAuth reports through siteinfo). A `Special:` title names an existing
page only when its name (before any `/`) is one of these.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def aliases() -> dict[str, list[str]]:
    text = resources.files("wikigate").joinpath("data/special-pages.json").read_text("utf-8")
    return dict(json.loads(text))


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, names in aliases().items():
        for alias in (name, *names):
            table[alias.replace(" ", "_").lower()] = name
    return table


def canonical(dbkey: str) -> str | None:
    """The canonical special page for `Name` or `Name/sub`, or None if there is none."""
    return _lookup().get(dbkey.split("/", 1)[0].lower())
