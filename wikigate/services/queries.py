"""What the query modules read: pages, revisions, protections, the log, site counts.

Each method is one read unit; the modules shape the answers. The record
types are re-exported here, as the services' vocabulary for the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wikigate import titles
from wikigate.services.pages import load_state, subject_key
from wikigate.services.permissions import PageState
from wikigate.store import changes, logs, users
from wikigate.store import pages as store
from wikigate.store.changes import ChangeFilter, ListedChange
from wikigate.store.database import Database, Tx
from wikigate.store.logs import LogEntry
from wikigate.store.pages import Contribution, PageRecord, Restriction, RevisionRecord, SiteCounts, TitleProtection
from wikigate.store.users import EVERY_NAME, HiddenNames

__all__ = ["ChangeFilter", "Contribution", "ListedChange", "LogEntry", "PageInfo", "PageRecord", "Queries", "RevisionRecord", "SiteCounts",
           "TitleProtection"]


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What prop=info needs beyond the page rows, read together."""

    states: dict[titles.Title, PageState]
    watched: set[tuple[int, str]]
    related_ids: dict[tuple[int, str], int]  # (namespace, dbkey) of talk/subject pages that exist


class Queries:
    def __init__(self, database: Database, namespaces: titles.Namespaces) -> None:
        self._database = database
        self._namespaces = namespaces

    @property
    def backend(self) -> tuple[str, str]:
        """The database's kind ("sqlite", "postgresql") and version, as siteinfo shows them."""
        return self._database.dialect, self._database.version

    async def pages(self, keys: list[tuple[int, str]], page_ids: list[int]) -> list[PageRecord]:
        return await self._database.read(lambda tx: store.pages_by_keys(tx, keys, page_ids))

    async def page_info(self, user_id: int, page_titles: list[titles.Title], *, now: float, states: bool,
                        watched: bool, related: bool) -> PageInfo:
        namespaces = self._namespaces

        def read(tx: Tx) -> PageInfo:
            found_states = ({title: load_state(tx, namespaces, title, now) for title in page_titles if title.can_exist}
                            if states else {})
            keys = [subject_key(title) for title in page_titles]
            found_watched = store.watched(tx, user_id, keys, now) if watched else set()
            return PageInfo(found_states, found_watched, _related_ids(tx, page_titles) if related else {})

        return await self._database.read(read)

    async def revisions(self, rev_ids: list[int]) -> list[RevisionRecord]:
        return await self._database.read(lambda tx: store.revisions_by_ids(tx, rev_ids))

    async def history(self, page_id: int, *, newest_first: bool, limit: int, start_id: int | None,
                      start: float | None, end: float | None) -> list[RevisionRecord]:
        return await self._database.read(lambda tx: store.page_revisions(
            tx, page_id, newest_first=newest_first, limit=limit, start_id=start_id, start=start, end=end))

    async def protected_titles(self, *, now: float, namespaces: list[int], levels: list[str], newest_first: bool,
                               limit: int, start: float | None, end: float | None,
                               after: tuple[float, int, str] | None) -> list[TitleProtection]:
        return await self._database.read(lambda tx: store.list_protected_titles(
            tx, now=now, namespaces=namespaces, levels=levels, newest_first=newest_first, limit=limit,
            start=start, end=end, after=after))

    async def protected_pages(self, *, now: float, limit: int) -> list[tuple[PageRecord, Restriction]]:
        return await self._database.read(lambda tx: store.protected_pages(tx, now=now, limit=limit))

    async def log_entries(self, *, types: list[str], action: str | None, user_text: str | None,
                          target: tuple[int, str] | None, namespace: int | None, newest_first: bool, limit: int,
                          start: float | None, end: float | None, after: tuple[float, int] | None,
                          excluded_types: tuple[str, ...] = (), shown: HiddenNames = EVERY_NAME,
                          now: float = 0) -> tuple[list[LogEntry], dict[tuple[int, str], int], set[int]]:
        """Log entries, with the current page id of each entry's title and, unless the viewer may
        see them, the ids of the suppressed accounts among the performers."""

        def read(tx: Tx) -> tuple[list[LogEntry], dict[tuple[int, str], int], set[int]]:
            found = logs.log_entries(tx, types=types, action=action, user_text=user_text, target=target,
                                     namespace=namespace, newest_first=newest_first, limit=limit, start=start,
                                     end=end, after=after, excluded_types=excluded_types)
            keys = list({(entry.namespace, entry.title) for entry in found})
            current = {(page.namespace, page.title): page.id for page in store.pages_by_keys(tx, keys, [])}
            performers = {entry.user_id for entry in found if entry.user_id}
            suppressed = users.suppressed_ids(tx, performers, shown, now) if performers and shown != EVERY_NAME else set()
            return found, current, suppressed

        return await self._database.read(read)

    async def watched_titles(self, user_id: int, *, now: float, namespaces: list[int], changed: bool | None,
                             descending: bool,
                             limit: int, after: tuple[int, str] | None, from_title: tuple[int, str] | None,
                             to_title: tuple[int, str] | None) -> list[tuple[int, str, float | None]]:
        return await self._database.read(lambda tx: store.watched_titles(
            tx, user_id, now=now, namespaces=namespaces, changed=changed, descending=descending, limit=limit,
            after=after,
            from_title=from_title, to_title=to_title))

    async def recent_changes(self, found: ChangeFilter, *, now: float, newest_first: bool, limit: int,
                             start: float | None, end: float | None,
                             after: tuple[float, int] | None) -> list[ListedChange]:
        return await self._database.read(lambda tx: changes.list_changes(
            tx, found, now=now, newest_first=newest_first, limit=limit, start=start, end=end, after=after))

    async def contributions(self, **filters: Any) -> list[Contribution]:
        """Revisions by users, as list=usercontribs asks for them (see `store.pages.contributions`)."""
        return await self._database.read(lambda tx: store.contributions(tx, **filters))

    async def latest_contribution(self, user_id: int) -> float | None:
        return await self._database.read(lambda tx: store.latest_contribution(tx, user_id))

    async def site_counts(self) -> SiteCounts:
        return await self._database.read(store.site_counts)

    async def group_sizes(self) -> dict[str, int]:
        return await self._database.read(store.group_sizes)


def _related_ids(tx: Tx, page_titles: list[titles.Title]) -> dict[tuple[int, str], int]:
    """Page ids of the associated (talk or subject) pages that exist."""
    found: dict[tuple[int, str], int] = {}
    for title in page_titles:
        if not title.can_exist:
            continue
        namespace = title.subject_namespace if title.is_talk else title.talk_namespace
        if namespace is None:
            continue
        record = store.page_by_title(tx, namespace, title.dbkey)
        if record is not None:
            found[(namespace, title.dbkey)] = record.id
    return found
