"""The pages a query is about: from `titles` or `pageids`, normalised and looked up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select, tuple_

from wikigate import titles
from wikigate.api.context import ApiContext
from wikigate.store.schema import page


@dataclass(slots=True)
class PageEntry:
    """One page of the set: existing (`page_id` > 0), missing (< 0) or invalid."""

    page_id: int
    title: titles.Title | None
    text: str  # the title as given, for invalid entries
    row: Any = None
    invalid_reason: str | None = None
    invalid_params: tuple[Any, ...] = ()

    @property
    def missing(self) -> bool:
        return self.row is None and self.invalid_reason is None


@dataclass(slots=True)
class PageSet:
    entries: list[PageEntry] = field(default_factory=list)
    normalized: list[dict[str, Any]] = field(default_factory=list)
    bad_page_ids: list[int] = field(default_factory=list)

    @property
    def good(self) -> list[PageEntry]:
        return [e for e in self.entries if e.row is not None]

    @property
    def missing(self) -> list[PageEntry]:
        return [e for e in self.entries if e.missing]


async def build_pageset(ctx: ApiContext, *, titles_given: list[str], page_ids: list[int]) -> PageSet:
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
    rows: dict[tuple[int, str], Any] = {}
    by_id: dict[int, Any] = {}
    async with ctx.services.engine.connect() as connection:
        conditions = []
        if parsed:
            conditions.append(tuple_(page.c.namespace, page.c.title).in_(
                [(t.namespace, t.dbkey) for _, t in parsed]))
        if page_ids:
            conditions.append(page.c.id.in_(page_ids))
        if conditions:
            for row in await connection.execute(select(page).where(or_(*conditions))):
                rows[(row.namespace, row.title)] = row
                by_id[row.id] = row
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
        row = by_id.get(pid)
        if row is None:
            pages.bad_page_ids.append(pid)
        elif (row.namespace, row.title) not in seen:
            seen.add((row.namespace, row.title))
            title = namespaces.title(row.namespace, row.title)
            existing.append(PageEntry(row.id, title, title.prefixed_text, row=row))
    # MediaWiki numbers invalid titles first, then special and missing ones,
    # and lists missing titles first, then invalid, special and existing ones.
    for number, entry in enumerate([*invalid, *special, *missing], start=1):
        entry.page_id = -number
    pages.entries = [*missing, *invalid, *special, *existing]
    return pages
