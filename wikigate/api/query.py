"""The framework of action=query: the page set its submodules work on, and where they write.

A prop module adds properties to the pages of the set; a list or meta module
writes its own key; in generator mode a module lists titles that become the
page set of the outer query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wikigate import titles
from wikigate.api.context import ApiContext
from wikigate.services.queries import PageRecord
from wikigate.wikitext import redirects


@dataclass(slots=True)
class PageEntry:
    """One page of the set: existing (`page_id` > 0), missing (< 0) or invalid."""

    page_id: int
    title: titles.Title | None
    text: str  # the title as given, for invalid entries
    row: PageRecord | None = None
    invalid_reason: str | None = None
    invalid_params: tuple[Any, ...] = ()

    @property
    def missing(self) -> bool:
        return self.row is None and self.invalid_reason is None


@dataclass(slots=True)
class PageSet:
    entries: list[PageEntry] = field(default_factory=list)
    normalized: list[dict[str, Any]] = field(default_factory=list)
    redirects: list[dict[str, Any]] = field(default_factory=list)
    bad_page_ids: list[int] = field(default_factory=list)

    @property
    def good(self) -> list[PageEntry]:
        return [e for e in self.entries if e.row is not None]

    @property
    def missing(self) -> list[PageEntry]:
        return [e for e in self.entries if e.missing]


class QueryResult:
    """What the submodules write into: `data` becomes `query`, `continue` the continuation."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        # What a module writes at the top of the answer instead of under `query` (watchlistraw does).
        self.toplevel: dict[str, Any] = {}
        self.continuation: dict[str, str] = {}
        self.pageset: PageSet | None = None
        # Properties that prop modules add to each page of the set, by page id.
        self.page_info: dict[int, dict[str, Any]] = {}
        # In generator mode a module lists titles here instead of writing data.
        self.generating = False
        self.generated: list[titles.Title] = []

    def set_continue(self, name: str, value: str) -> None:
        self.continuation[name] = value

    def continue_key(self, prefix: str) -> str:
        """A module's continuation parameter; generator parameters carry a "g" in front."""
        return f"{'g' if self.generating else ''}{prefix}continue"


async def build_pageset(ctx: ApiContext, *, titles_given: list[str], page_ids: list[int],
                        resolve_redirects: bool = False) -> PageSet:
    pages = PageSet()
    namespaces = ctx.services.namespaces
    parsed: list[tuple[str, titles.Title]] = []
    invalid: list[PageEntry] = []
    for text in titles_given:
        try:
            title = titles.parse_title(text, namespaces)
        except titles.InvalidTitle as error:
            invalid.append(PageEntry(0, None, text, invalid_reason=str(error.code), invalid_params=error.params))
            continue
        if title.prefixed_text != text:
            pages.normalized.append({"fromencoded": False, "from": text, "to": title.prefixed_text})
        parsed.append((text, title))
    found = await ctx.services.queries.pages([(t.namespace, t.dbkey) for _, t in parsed], page_ids)
    rows = {(row.namespace, row.title): row for row in found}
    by_id = {row.id: row for row in found}
    seen: set[tuple[int, str]] = set()
    missing: list[PageEntry] = []
    special: list[PageEntry] = []
    existing: list[PageEntry] = []
    for _, title in parsed:
        key = (title.namespace, title.dbkey)
        if key in seen:
            continue
        seen.add(key)
        row = rows.get(key)
        if row is not None:
            existing.append(PageEntry(row.id, title, title.prefixed_text, row=row))
        else:
            (missing if title.can_exist else special).append(PageEntry(0, title, title.prefixed_text))
    for pid in page_ids:
        record = by_id.get(pid)
        if record is None:
            pages.bad_page_ids.append(pid)
        elif (record.namespace, record.title) not in seen:
            seen.add((record.namespace, record.title))
            title = namespaces.title(record.namespace, record.title)
            existing.append(PageEntry(record.id, title, title.prefixed_text, row=record))
    if resolve_redirects:
        await _resolve_redirects(ctx, pages, existing, missing, seen)
    # MediaWiki looks titles up a namespace at a time (in the order the namespaces first
    # appear), so that is the order of the missing ones.
    order = [t.namespace for _, t in parsed] + [e.title.namespace for e in missing if e.title is not None]
    first_seen = {namespace: index for index, namespace in reversed(list(enumerate(order)))}
    missing.sort(key=lambda entry: first_seen[entry.title.namespace] if entry.title else 0)
    # It numbers invalid titles first, then special and missing ones,
    # and lists missing titles first, then invalid, special and existing ones.
    for number, entry in enumerate([*invalid, *special, *missing], start=1):
        entry.page_id = -number
    pages.entries = [*missing, *invalid, *special, *existing]
    return pages


async def _resolve_redirects(ctx: ApiContext, pages: PageSet, existing: list[PageEntry], missing: list[PageEntry],
                             seen: set[tuple[int, str]]) -> None:
    """Replace redirects by their targets, a level at a time, noting each hop as MediaWiki does.

    A target already in the set is not added again (so a redirect to itself just
    disappears); a redirect whose text names no valid target stays a page.
    """
    namespaces = ctx.services.namespaces
    pending = [entry for entry in existing if entry.row is not None and entry.row.is_redirect]
    while pending:
        latest = {rev.page_id: rev.text for rev in await ctx.services.queries.revisions(
            [entry.row.latest for entry in pending if entry.row is not None])}
        targets: list[titles.Title] = []
        for entry in pending:
            assert entry.row is not None and entry.title is not None
            found = redirects.redirect_target(latest.get(entry.row.id, ""), namespaces)
            if found is None or not found[0].can_exist:
                continue
            target, fragment = found
            existing.remove(entry)
            hop = {"from": entry.title.prefixed_text, "to": target.prefixed_text}
            if fragment:
                hop["tofragment"] = fragment
            pages.redirects.append(hop)
            if (target.namespace, target.dbkey) not in seen:
                seen.add((target.namespace, target.dbkey))
                targets.append(target)
        rows = {(row.namespace, row.title): row for row in await ctx.services.queries.pages(
            [(t.namespace, t.dbkey) for t in targets], [])}
        pending = []
        for target in targets:
            row = rows.get((target.namespace, target.dbkey))
            if row is None:
                missing.append(PageEntry(0, target, target.prefixed_text))
                continue
            entry = PageEntry(row.id, target, target.prefixed_text, row=row)
            existing.append(entry)
            if row.is_redirect:
                pending.append(entry)
