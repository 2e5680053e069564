"""Pages, revisions, protections, the log and the watchlist.

Every function is synchronous and takes the `Tx` to run on, so a service can
put a whole request's reads and writes into one `Database.write` unit
(an edit checks protections and writes a page, a revision and a user's edit
count together; a protect changes restrictions, a null revision and the log
together). On SQLite such a unit runs in one hand-off to the writer thread,
instead of several thread hand-offs per statement through the asyncio layer.
Expiries are compared with the caller's `now`: an expired protection is
ignored from its expiry instant on, with no job needed to delete it.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select, tuple_, union_all, update
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row

from wikigate.store.database import Tx, inserted_id
from wikigate.store.schema import (
    page,
    page_restrictions,
    protected_titles,
    recentchanges,
    revision,
    user,
    user_groups,
    watchlist,
)


@dataclass(frozen=True, slots=True)
class PageRecord:
    id: int
    namespace: int
    title: str  # the dbkey
    latest: int
    len: int
    touched: float
    is_new: bool
    is_redirect: bool


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    id: int
    page_id: int
    parent_id: int | None
    text: str
    comment: str
    user_id: int
    user_text: str
    timestamp: float
    minor: bool
    len: int
    sha1: str


@dataclass(frozen=True, slots=True)
class Restriction:
    page_id: int
    type: str
    level: str
    cascade: bool
    expiry: float | None  # None: infinite


@dataclass(frozen=True, slots=True)
class TitleProtection:
    namespace: int
    title: str
    user_id: int
    user_name: str
    reason: str
    timestamp: float
    expiry: float | None
    level: str


def sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _active(expiry_column: Any, now: Any) -> Any:
    return or_(expiry_column.is_(None), expiry_column > now)


def is_active(expiry: float | None, now: float) -> bool:
    """The same test as the queries make: in force until its expiry instant."""
    return expiry is None or expiry > now


def _record(cls: Any, row: Row[Any]) -> Any:
    return cls(**{name: row._mapping[name] for name in cls.__slots__})


def _protected_titles_query() -> Any:
    return select(protected_titles, func.coalesce(user.c.name, "").label("user_name")).select_from(
        protected_titles.outerjoin(user, user.c.id == protected_titles.c.user_id))


def _watch_statement(insert_into: Any) -> Any:
    statement = insert_into(watchlist)
    return statement.on_conflict_do_update(
        index_elements=[watchlist.c.user_id, watchlist.c.namespace, watchlist.c.title],
        set_={"expiry": statement.excluded.expiry},
        where=watchlist.c.expiry.is_distinct_from(statement.excluded.expiry))


# Building a Core statement costs several times more CPU than running it on
# SQLite, so the statements of every edit and protect are built once here,
# with bound parameters, and each request only executes them.
_LOCK_TITLE = sql_text("SELECT pg_advisory_xact_lock(:key)")
_PAGE_WITH_LATEST = (
    select(page, *(column.label(f"rev_{column.name}") for column in revision.c))
    .select_from(page.outerjoin(revision, revision.c.id == page.c.latest))
    .where(page.c.namespace == bindparam("namespace"), page.c.title == bindparam("title")))
_SET_LATEST = update(page).where(page.c.id == bindparam("page_id")).values(
    latest=bindparam("new_latest"), len=bindparam("new_len"), touched=bindparam("new_touched"),
    is_new=bindparam("new_is_new"), is_redirect=bindparam("new_is_redirect"))
_COUNT_EDIT = update(user).where(user.c.id == bindparam("user_id")).values(editcount=user.c.editcount + 1)
_RESTRICTIONS = (
    select(page_restrictions)
    .where(page_restrictions.c.page_id.in_(bindparam("page_ids", expanding=True)),
           _active(page_restrictions.c.expiry, bindparam("now")))
    .order_by(page_restrictions.c.page_id, page_restrictions.c.id))
_DELETE_RESTRICTIONS = delete(page_restrictions).where(page_restrictions.c.page_id == bindparam("page_id"))
_CASCADING_SOURCES = (
    select(page, revision.c.text, page_restrictions.c.type.label("r_type"),
           page_restrictions.c.level.label("r_level"), page_restrictions.c.expiry.label("r_expiry"))
    .select_from(page_restrictions.join(page, page.c.id == page_restrictions.c.page_id)
                 .join(revision, revision.c.id == page.c.latest))
    .where(page_restrictions.c.cascade.is_(True), _active(page_restrictions.c.expiry, bindparam("now"))))
_TITLE_PROTECTION = _protected_titles_query().where(
    protected_titles.c.namespace == bindparam("namespace"), protected_titles.c.title == bindparam("title"))
_DELETE_TITLE_PROTECTION = delete(protected_titles).where(
    protected_titles.c.namespace == bindparam("namespace"), protected_titles.c.title == bindparam("title"))
_WATCH = {"postgresql": _watch_statement(postgresql.insert), "sqlite": _watch_statement(sqlite.insert)}


# -- locking ---------------------------------------------------------------

def lock_title(tx: Tx, namespace: int, dbkey: str) -> None:
    """Serialise writers of one title until the transaction ends.

    PostgreSQL takes a transaction-scoped advisory lock keyed by the title,
    which also covers a title that has no page row yet. SQLite needs
    nothing here: `Database.write` begins with BEGIN IMMEDIATE, so
    the transaction is the only writer from its first read on.
    """
    if tx.dialect.name == "postgresql":
        digest = hashlib.sha256(f"{namespace}:{dbkey}".encode()).digest()
        tx.execute(_LOCK_TITLE, {"key": struct.unpack(">q", digest[:8])[0]})

# -- pages and revisions ---------------------------------------------------

def page_by_title(tx: Tx, namespace: int, dbkey: str) -> PageRecord | None:
    row = tx.execute(
        select(page).where(page.c.namespace == namespace, page.c.title == dbkey)).first()
    return None if row is None else _record(PageRecord, row)

def page_by_id(tx: Tx, page_id: int) -> PageRecord | None:
    row = tx.execute(select(page).where(page.c.id == page_id)).first()
    return None if row is None else _record(PageRecord, row)

def page_with_latest(tx: Tx, namespace: int,
                     dbkey: str) -> tuple[PageRecord, RevisionRecord | None] | None:
    """A page and its current revision, in one query."""
    row = tx.execute(_PAGE_WITH_LATEST, {"namespace": namespace, "title": dbkey}).first()
    if row is None:
        return None
    fields = row._mapping
    latest = None if fields["rev_id"] is None else RevisionRecord(
        **{name: fields[f"rev_{name}"] for name in RevisionRecord.__slots__})
    return _record(PageRecord, row), latest

def revision_by_id(tx: Tx, rev_id: int) -> RevisionRecord | None:
    row = tx.execute(select(revision).where(revision.c.id == rev_id)).first()
    return None if row is None else _record(RevisionRecord, row)

def revisions_by_ids(tx: Tx, rev_ids: list[int]) -> list[RevisionRecord]:
    if not rev_ids:
        return []
    rows = tx.execute(select(revision).where(revision.c.id.in_(rev_ids)))
    return [_record(RevisionRecord, row) for row in rows]

def revision_before(tx: Tx, page_id: int, before: float) -> RevisionRecord | None:
    """The page's newest revision saved before `before`."""
    row = tx.execute(
        select(revision).where(revision.c.page_id == page_id, revision.c.timestamp < before)
        .order_by(revision.c.timestamp.desc(), revision.c.id.desc()).limit(1)).first()
    return None if row is None else _record(RevisionRecord, row)

def neighbour_revision(tx: Tx, current: RevisionRecord, *, later: bool) -> RevisionRecord | None:
    """The revision of the same page saved just before `current` (or just after), in history order."""
    r = revision
    if later:
        beyond = (r.c.timestamp > current.timestamp) | ((r.c.timestamp == current.timestamp) & (r.c.id > current.id))
        order = (r.c.timestamp.asc(), r.c.id.asc())
    else:
        beyond = (r.c.timestamp < current.timestamp) | ((r.c.timestamp == current.timestamp) & (r.c.id < current.id))
        order = (r.c.timestamp.desc(), r.c.id.desc())
    row = tx.execute(select(r).where(r.c.page_id == current.page_id, beyond).order_by(*order).limit(1)).first()
    return None if row is None else _record(RevisionRecord, row)

def last_revision_not_by(tx: Tx, page_id: int, user_text: str) -> RevisionRecord | None:
    """The page's newest revision saved by anyone but `user_text`."""
    row = tx.execute(select(revision).where(revision.c.page_id == page_id, revision.c.user_text != user_text)
                     .order_by(revision.c.timestamp.desc(), revision.c.id.desc()).limit(1)).first()
    return None if row is None else _record(RevisionRecord, row)

def revision_authors_since(tx: Tx, page_id: int, since: float) -> set[int]:
    """Ids of the users who saved revisions of the page at or after `since`."""
    rows = tx.execute(
        select(revision.c.user_id).where(revision.c.page_id == page_id, revision.c.timestamp >= since).distinct())
    return {row.user_id for row in rows}

def page_revisions(tx: Tx, page_id: int, *, newest_first: bool,
                   limit: int, start_id: int | None = None, start: float | None = None,
                   end: float | None = None) -> list[RevisionRecord]:
    """A page's revisions in history order, from `start_id` (a continuation) on."""
    order = (revision.c.timestamp.desc(), revision.c.id.desc()) if newest_first else (
        revision.c.timestamp.asc(), revision.c.id.asc())
    conditions = [revision.c.page_id == page_id]
    if start_id is not None:
        conditions.append(revision.c.id <= start_id if newest_first else revision.c.id >= start_id)
    if start is not None:
        conditions.append(revision.c.timestamp <= start if newest_first else revision.c.timestamp >= start)
    if end is not None:
        conditions.append(revision.c.timestamp >= end if newest_first else revision.c.timestamp <= end)
    rows = tx.execute(select(revision).where(*conditions).order_by(*order).limit(limit))
    return [_record(RevisionRecord, row) for row in rows]

def create_page(tx: Tx, namespace: int, dbkey: str, now: float, page_id: int | None = None) -> int:
    """A new page row without revisions; `page_id` reuses a free id (an undeleted page gets its own back)."""
    values: dict[str, Any] = {"namespace": namespace, "title": dbkey, "latest": 0, "len": 0, "touched": now,
                              "is_new": True, "is_redirect": False}
    if page_id is not None:
        values["id"] = page_id
    return inserted_id(tx.execute(page.insert(), values))

def set_latest(tx: Tx, page_id: int, latest: RevisionRecord, *, is_new: bool, is_redirect: bool,
               now: float) -> None:
    """Make an existing revision the page's current one (an undeletion restoring newer history)."""
    tx.execute(_SET_LATEST, {"page_id": page_id, "new_latest": latest.id, "new_len": latest.len,
                             "new_touched": now, "new_is_new": is_new, "new_is_redirect": is_redirect})

def add_revision(tx: Tx, *, page_id: int, parent_id: int | None,
                 text: str, comment: str, user_id: int, user_text: str, now: float,
                 minor: bool, is_new: bool, is_redirect: bool) -> RevisionRecord:
    """Store a revision and make it the page's latest (`is_redirect`: whether its text is a redirect)."""
    length = len(text.encode("utf-8"))
    values = {"page_id": page_id, "parent_id": parent_id, "text": text, "comment": comment,
              "user_id": user_id, "user_text": user_text, "timestamp": now, "minor": minor,
              "len": length, "sha1": sha1_hex(text)}
    rev_id = inserted_id(tx.execute(revision.insert(), values))
    tx.execute(_SET_LATEST, {"page_id": page_id, "new_latest": rev_id, "new_len": length,
                                     "new_touched": now, "new_is_new": is_new, "new_is_redirect": is_redirect})
    return RevisionRecord(id=rev_id, **values)  # type: ignore[arg-type]

def rename_page(tx: Tx, page_id: int, namespace: int, dbkey: str) -> None:
    tx.execute(update(page).where(page.c.id == page_id).values(namespace=namespace, title=dbkey))

def has_one_revision(tx: Tx, page_id: int) -> bool:
    rows = tx.execute(select(revision.c.id).where(revision.c.page_id == page_id).limit(2)).all()
    return len(rows) == 1

def subpages(tx: Tx, namespace: int, dbkey: str, limit: int) -> list[PageRecord]:
    """Pages titled `dbkey/…` in the namespace, in title order."""
    # Compared exactly: LIKE ignores case on SQLite, and a range depends on PostgreSQL's collation.
    prefix = dbkey + "/"
    rows = tx.execute(select(page).where(page.c.namespace == namespace,
                                         func.substr(page.c.title, 1, len(prefix)) == prefix)
                      .order_by(page.c.title).limit(limit))
    return [_record(PageRecord, row) for row in rows]

def count_edit(tx: Tx, user_id: int) -> None:
    if user_id:
        tx.execute(_COUNT_EDIT, {"user_id": user_id})

# -- protection ------------------------------------------------------------

def restrictions(tx: Tx, page_ids: list[int], now: float) -> list[Restriction]:
    """Unexpired restrictions of the pages, ordered by page and type."""
    if not page_ids:
        return []
    rows = tx.execute(_RESTRICTIONS, {"page_ids": page_ids, "now": now})
    return [_record(Restriction, row) for row in rows]

def protected_pages(tx: Tx, *, now: float, limit: int) -> list[tuple[PageRecord, Restriction]]:
    """Pages with a protection in force, each protection once, newest page first."""
    query = (select(page, page_restrictions.c.page_id.label("restricted_page"), page_restrictions.c.type,
                    page_restrictions.c.level, page_restrictions.c.cascade, page_restrictions.c.expiry)
             .join(page_restrictions, page_restrictions.c.page_id == page.c.id)
             .where(page_restrictions.c.level != "", _active(page_restrictions.c.expiry, now))
             .order_by(page.c.id.desc(), page_restrictions.c.type).limit(limit))
    return [(_record(PageRecord, row), Restriction(page_id=row.restricted_page, type=row.type, level=row.level,
                                                   cascade=row.cascade, expiry=row.expiry))
            for row in tx.execute(query)]


def replace_restrictions(tx: Tx, page_id: int,
                         restrictions: list[Restriction]) -> None:
    tx.execute(_DELETE_RESTRICTIONS, {"page_id": page_id})
    if restrictions:
        tx.execute(page_restrictions.insert(), [
            {"page_id": page_id, "type": item.type, "level": item.level, "cascade": item.cascade,
             "expiry": item.expiry} for item in restrictions])

def cascading_sources(tx: Tx, now: float) -> list[tuple[PageRecord, str, Restriction]]:
    """Pages whose unexpired protection cascades, with their current text."""
    rows = tx.execute(_CASCADING_SOURCES, {"now": now})
    return [(_record(PageRecord, row), row.text,
             Restriction(row.id, row.r_type, row.r_level, True, row.r_expiry)) for row in rows]

def stored_title_protection(tx: Tx, namespace: int,
                            dbkey: str) -> TitleProtection | None:
    """The title's create protection row, expired or not (see `is_active`)."""
    row = tx.execute(_TITLE_PROTECTION, {"namespace": namespace, "title": dbkey}).first()
    return None if row is None else _title_protection(row)

def set_title_protection(tx: Tx, protection: TitleProtection) -> None:
    delete_title_protection(tx, protection.namespace, protection.title)
    tx.execute(protected_titles.insert(), {
        "namespace": protection.namespace, "title": protection.title, "user_id": protection.user_id,
        "reason": protection.reason, "timestamp": protection.timestamp, "expiry": protection.expiry,
        "level": protection.level})

def delete_title_protection(tx: Tx, namespace: int, dbkey: str) -> None:
    tx.execute(_DELETE_TITLE_PROTECTION, {"namespace": namespace, "title": dbkey})

def list_protected_titles(tx: Tx, *, now: float, namespaces: list[int],
                          levels: list[str], newest_first: bool, limit: int,
                          start: float | None, end: float | None,
                          after: tuple[float, int, str] | None) -> list[TitleProtection]:
    """Unexpired create protections in time order; `after` is a (time, ns, title) continuation."""
    p = protected_titles
    conditions = [_active(p.c.expiry, now)]
    if namespaces:
        conditions.append(p.c.namespace.in_(namespaces))
    if levels:
        conditions.append(p.c.level.in_(levels))
    if start is not None:
        conditions.append(p.c.timestamp <= start if newest_first else p.c.timestamp >= start)
    if end is not None:
        conditions.append(p.c.timestamp >= end if newest_first else p.c.timestamp <= end)
    if after is not None:
        when, namespace, title = after
        if newest_first:
            conditions.append(or_(p.c.timestamp < when, and_(p.c.timestamp == when, or_(
                p.c.namespace < namespace, and_(p.c.namespace == namespace, p.c.title <= title)))))
        else:
            conditions.append(or_(p.c.timestamp > when, and_(p.c.timestamp == when, or_(
                p.c.namespace > namespace, and_(p.c.namespace == namespace, p.c.title >= title)))))
    columns = (p.c.timestamp, p.c.namespace, p.c.title)
    order = [c.desc() for c in columns] if newest_first else [c.asc() for c in columns]
    rows = tx.execute(_protected_titles_query().where(*conditions).order_by(*order).limit(limit))
    return [_title_protection(row) for row in rows]

# -- watchlist -------------------------------------------------------------

def watched(tx: Tx, user_id: int, keys: list[tuple[int, str]],
            now: float) -> set[tuple[int, str]]:
    """Which of the subject titles the user watches (talk pages share their subject's entry)."""
    if not user_id or not keys:
        return set()
    rows = tx.execute(select(watchlist.c.namespace, watchlist.c.title).where(
        watchlist.c.user_id == user_id, _active(watchlist.c.expiry, now),
        or_(*(and_(watchlist.c.namespace == ns, watchlist.c.title == dbkey) for ns, dbkey in keys))))
    return {(row.namespace, row.title) for row in rows}

def watch(tx: Tx, user_id: int, namespace: int, dbkey: str,
          expiry: float | None) -> None:
    """Watch the title until `expiry`; an entry that already says so is left unwritten."""
    tx.execute(_WATCH[tx.dialect.name],
                       {"user_id": user_id, "namespace": namespace, "title": dbkey, "expiry": expiry})

def notify_watchers(tx: Tx, subject: tuple[int, str], editor_id: int, now: float) -> None:
    """Mark the page changed for everyone watching it but the editor, unless it already is."""
    w = watchlist
    tx.execute(update(w).where(w.c.namespace == subject[0], w.c.title == subject[1], w.c.user_id != editor_id,
                               w.c.notification.is_(None), _active(w.c.expiry, now)).values(notification=now))

def copy_watchers(tx: Tx, source: tuple[int, str], target: tuple[int, str]) -> None:
    """Everyone watching the source subject also watches the target, with the same expiry."""
    watching = tx.execute(select(watchlist.c.user_id, watchlist.c.expiry).where(
        watchlist.c.namespace == source[0], watchlist.c.title == source[1])).all()
    for row in watching:
        watch(tx, row.user_id, target[0], target[1], row.expiry)

def watched_titles(tx: Tx, user_id: int, *, now: float, namespaces: list[int], changed: bool | None,
                   descending: bool, limit: int,
                   after: tuple[int, str] | None, from_title: tuple[int, str] | None,
                   to_title: tuple[int, str] | None) -> list[tuple[int, str, float | None]]:
    """A user's watchlist as MediaWiki lists it: a subject entry stands for the page and its talk page;
    each with when it changed unseen (None: nothing unseen)."""
    w = watchlist
    owned = (w.c.user_id == user_id, _active(w.c.expiry, now))
    entries = union_all(
        select(w.c.namespace.label("ns"), w.c.title.label("title"), w.c.notification).where(*owned),
        select((w.c.namespace + 1).label("ns"), w.c.title.label("title"), w.c.notification).where(*owned),
    ).subquery()
    ns, title = entries.c.ns, entries.c.title
    conditions: list[Any] = []
    if namespaces:
        conditions.append(ns.in_(namespaces))
    if changed is not None:
        conditions.append(entries.c.notification.is_not(None) if changed else entries.c.notification.is_(None))

    def beyond(bound: tuple[int, str], forward: bool) -> Any:
        """At or past (namespace, title) `bound` in the direction given."""
        if forward:
            return or_(ns > bound[0], and_(ns == bound[0], title >= bound[1]))
        return or_(ns < bound[0], and_(ns == bound[0], title <= bound[1]))

    for start in (from_title, after):
        if start is not None:
            conditions.append(beyond(start, not descending))
    if to_title is not None:
        conditions.append(beyond(to_title, descending))
    order = (ns.desc(), title.desc()) if descending else (ns.asc(), title.asc())
    rows = tx.execute(select(ns, title, entries.c.notification).where(*conditions).order_by(*order).limit(limit))
    return [(row.ns, row.title, row.notification) for row in rows]

def unwatch(tx: Tx, user_id: int, namespace: int, dbkey: str) -> None:
    tx.execute(delete(watchlist).where(
        watchlist.c.user_id == user_id, watchlist.c.namespace == namespace, watchlist.c.title == dbkey))



def _title_protection(row: Row[Any]) -> TitleProtection:
    return TitleProtection(namespace=row.namespace, title=row.title, user_id=row.user_id, user_name=row.user_name,
                           reason=row.reason, timestamp=row.timestamp, expiry=row.expiry, level=row.level)


# -- lookups for the query modules ---------------------------------------------------

def pages_by_keys(tx: Tx, keys: list[tuple[int, str]], page_ids: list[int]) -> list[PageRecord]:
    """The existing pages among (namespace, dbkey) keys and page ids."""
    conditions = []
    if keys:
        conditions.append(tuple_(page.c.namespace, page.c.title).in_(keys))
    if page_ids:
        conditions.append(page.c.id.in_(page_ids))
    if not conditions:
        return []
    return [_record(PageRecord, row) for row in tx.execute(select(page).where(or_(*conditions)))]


def latest_contribution(tx: Tx, user_id: int) -> float | None:
    timestamp = tx.execute(select(func.max(revision.c.timestamp)).where(revision.c.user_id == user_id)).scalar_one()
    return None if timestamp is None else float(timestamp)


@dataclass(frozen=True, slots=True)
class SiteCounts:
    pages: int
    articles: int
    edits: int
    users: int
    admins: int


def site_counts(tx: Tx) -> SiteCounts:
    def count(query: Any) -> int:
        return int(tx.execute(query).scalar_one())

    return SiteCounts(
        pages=count(select(func.count()).select_from(page)),
        articles=count(select(func.count()).select_from(page).where(page.c.namespace == 0)),
        edits=count(select(func.count()).select_from(revision)),
        users=count(select(func.count()).select_from(user)),
        admins=count(select(func.count(func.distinct(user_groups.c.user_id))).where(user_groups.c.group == "sysop")),
    )


def group_sizes(tx: Tx) -> dict[str, int]:
    rows = tx.execute(select(user_groups.c.group, func.count()).group_by(user_groups.c.group))
    return {row[0]: int(row[1]) for row in rows}


# -- contributions -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Contribution:
    revision: RevisionRecord
    namespace: int
    title: str
    top: bool
    parent_len: int | None
    patrolled: int | None  # the edit's recent-change patrol status, if it is still listed


def contributions(tx: Tx, *, user_names: list[str] | None, user_ids: list[int] | None, user_prefix: str | None,
                  namespaces: list[int], newest_first: bool, limit: int, start: float | None, end: float | None,
                  after: tuple[int | None, float, int] | None, minor: bool | None, new: bool | None,
                  top: bool | None, patrolled: tuple[int, ...]) -> list[Contribution]:
    """Revisions by the given users, user by user (by id, as MediaWiki goes actor by actor), then in
    time order.

    `after` = (user id or None for a single user, time, revision id) continues a listing;
    `patrolled` keeps edits whose recent change has one of those statuses.
    """
    rc = recentchanges
    parent = revision.alias("parent")
    r = revision
    where: list[Any] = []
    if user_names is not None:
        where.append(r.c.user_text.in_(user_names))
    if user_ids is not None:
        where.append(r.c.user_id.in_(user_ids))
    if user_prefix is not None:
        where.append(func.substr(r.c.user_text, 1, len(user_prefix)) == user_prefix)
    if namespaces:
        where.append(page.c.namespace.in_(namespaces))
    if start is not None:
        where.append(r.c.timestamp <= start if newest_first else r.c.timestamp >= start)
    if end is not None:
        where.append(r.c.timestamp >= end if newest_first else r.c.timestamp <= end)
    if minor is not None:
        where.append(r.c.minor.is_(minor))
    if new is not None:
        where.append(func.coalesce(r.c.parent_id, 0) == 0 if new else func.coalesce(r.c.parent_id, 0) != 0)
    if top is not None:
        where.append(page.c.latest == r.c.id if top else page.c.latest != r.c.id)
    if patrolled:
        where.append(rc.c.patrolled.in_(patrolled))
    if after is not None:
        user_id, when, rev_id = after
        later = or_(r.c.timestamp < when, and_(r.c.timestamp == when, r.c.id <= rev_id)) if newest_first else \
            or_(r.c.timestamp > when, and_(r.c.timestamp == when, r.c.id >= rev_id))
        if user_id is None:
            where.append(later)
        else:
            beyond = r.c.user_id < user_id if newest_first else r.c.user_id > user_id
            where.append(or_(beyond, and_(r.c.user_id == user_id, later)))
    columns = (r.c.user_id, r.c.timestamp, r.c.id)
    order = [c.desc() for c in columns] if newest_first else [c.asc() for c in columns]
    query = (select(r, page.c.namespace.label("page_namespace"), page.c.title.label("page_title"),
                    page.c.latest.label("page_latest"), parent.c.len.label("parent_len"),
                    rc.c.patrolled.label("rc_patrolled"))
             .select_from(r.join(page, page.c.id == r.c.page_id)
                          .outerjoin(parent, parent.c.id == r.c.parent_id)
                          .outerjoin(rc, and_(rc.c.this_oldid == r.c.id, rc.c.type != 3)))
             .where(*where).order_by(*order).limit(limit))
    found = []
    for row in tx.execute(query):
        record = RevisionRecord(**{name: row._mapping[name] for name in RevisionRecord.__slots__})
        found.append(Contribution(record, row.page_namespace, row.page_title, row.page_latest == record.id,
                                  row.parent_len, row.rc_patrolled))
    return found
