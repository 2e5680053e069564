"""Recent changes (MediaWiki's recentchanges table): one row per edit or logged action, newest first.

Rows older than MediaWiki's $wgRCMaxAge (90 days) are not listed; patrol
marks and bot flags change in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, or_, select, update

from wikigate.store.database import Tx, inserted_id, time_order
from wikigate.store.schema import logging as log_table
from wikigate.store.schema import page, recentchanges, revision, watchlist

RC_EDIT, RC_NEW, RC_LOG = 0, 1, 3
UNPATROLLED, PATROLLED, AUTOPATROLLED = 0, 1, 2
MAX_AGE = 90 * 86400


@dataclass(frozen=True, slots=True)
class Change:
    id: int
    timestamp: float
    user_id: int
    user_text: str
    namespace: int
    title: str
    comment: str
    minor: bool
    bot: bool
    type: int
    page_id: int
    this_oldid: int
    last_oldid: int
    patrolled: int
    old_len: int | None
    new_len: int | None
    log_id: int
    log_type: str | None
    log_action: str | None
    ip: str = ""


@dataclass(frozen=True, slots=True)
class ListedChange:
    change: Change
    is_redirect: bool  # the page now, for rcprop=redirect
    page_latest: int
    sha1: str | None  # of the change's revision, if any
    log_params: dict[str, Any] | None
    notification: float | None = None  # for list=watchlist: when the watched page changed unseen


def add_change(tx: Tx, **values: Any) -> int:
    return inserted_id(tx.execute(recentchanges.insert(), values))


def change_by_id(tx: Tx, change_id: int) -> Change | None:
    row = tx.execute(select(recentchanges).where(recentchanges.c.id == change_id)).first()
    return None if row is None else Change(**row._mapping)


def change_by_revision(tx: Tx, rev_id: int) -> Change | None:
    row = tx.execute(select(recentchanges).where(recentchanges.c.this_oldid == rev_id,
                                                 recentchanges.c.type != RC_LOG)).first()
    return None if row is None else Change(**row._mapping)


def set_patrolled(tx: Tx, change_ids: list[int], status: int) -> None:
    tx.execute(update(recentchanges).where(recentchanges.c.id.in_(change_ids)).values(patrolled=status))


def mark_reverted(tx: Tx, page_id: int, user_text: str, after: tuple[float, int], *, bot: bool) -> None:
    """A rollback's reverted edits (the user's, after revision `after` = (time, id)): unpatrolled ones count
    as autopatrolled, and all become bot edits when the rollback was marked so."""
    rc = recentchanges
    when, rev_id = after
    mine = [rc.c.page_id == page_id, rc.c.user_text == user_text, rc.c.type != RC_LOG,
            or_(rc.c.timestamp > when, and_(rc.c.timestamp == when, rc.c.this_oldid > rev_id))]
    tx.execute(update(rc).where(*mine, rc.c.patrolled == UNPATROLLED).values(patrolled=AUTOPATROLLED))
    if bot:
        tx.execute(update(rc).where(*mine).values(bot=True))


def unpatrolled_between(tx: Tx, page_id: int, after_rev: int, up_to_rev: int) -> list[int]:
    """Unpatrolled edits of a page from revision `after_rev` (exclusive) to `up_to_rev`."""
    rows = tx.execute(select(recentchanges.c.id).where(
        recentchanges.c.page_id == page_id, recentchanges.c.type != RC_LOG,
        recentchanges.c.patrolled == UNPATROLLED, recentchanges.c.this_oldid > after_rev,
        recentchanges.c.this_oldid <= up_to_rev))
    return [row.id for row in rows]


@dataclass(frozen=True, slots=True)
class ChangeFilter:
    """What list=recentchanges narrows the list by; None leaves a property unfiltered."""

    namespaces: tuple[int, ...] = ()
    user: str | None = None
    exclude_user: str | None = None
    target: tuple[int, str] | None = None
    types: tuple[int, ...] = ()
    minor: bool | None = None
    bot: bool | None = None
    anonymous: bool | None = None
    redirect: bool | None = None
    patrolled: tuple[int, ...] = ()  # allowed statuses; empty: all
    top_only: bool = False
    # list=watchlist: changes to the pages this user watches (a watched page brings its talk page),
    # only each page's latest edit unless all revisions are asked for (log actions always).
    watched_by: int | None = None
    all_revisions: bool = True
    unread: bool | None = None  # changed since the watcher's page was marked changed (or not)


def _watching(user_id: int, now: float) -> list[Any]:
    """A watchlist entry of the user covering the change's page (a subject entry covers its talk page)."""
    w, rc = watchlist, recentchanges
    return [w.c.user_id == user_id, w.c.title == rc.c.title,
            or_(w.c.namespace == rc.c.namespace, w.c.namespace + 1 == rc.c.namespace),
            or_(w.c.expiry.is_(None), w.c.expiry > now)]


def _notification(user_id: int, now: float) -> Any:
    return select(watchlist.c.notification).where(*_watching(user_id, now)).limit(1).scalar_subquery()


def _where(found: ChangeFilter, now: float) -> list[Any]:
    rc = recentchanges
    where: list[Any] = []
    if found.namespaces:
        where.append(rc.c.namespace.in_(found.namespaces))
    if found.user is not None:
        where.append(rc.c.user_text == found.user)
    if found.exclude_user is not None:
        where.append(rc.c.user_text != found.exclude_user)
    if found.target is not None:
        where += [rc.c.namespace == found.target[0], rc.c.title == found.target[1]]
    if found.types:
        where.append(rc.c.type.in_(found.types))
    for column, wanted in ((rc.c.minor, found.minor), (rc.c.bot, found.bot)):
        if wanted is not None:
            where.append(column.is_(wanted))
    if found.anonymous is not None:
        where.append(rc.c.user_id == 0 if found.anonymous else rc.c.user_id != 0)
    if found.redirect is not None:
        where.append(page.c.is_redirect.is_(True) if found.redirect else or_(page.c.is_redirect.is_(False),
                                                                              page.c.is_redirect.is_(None)))
    if found.patrolled:
        where.append(rc.c.patrolled.in_(found.patrolled))
    if found.top_only:
        where.append(rc.c.this_oldid == page.c.latest)
    if found.watched_by is not None:
        where.append(exists().where(*_watching(found.watched_by, now)))
        notified = _notification(found.watched_by, now)
        if found.unread is True:
            where.append(rc.c.timestamp >= notified)
        elif found.unread is False:
            where.append(or_(notified.is_(None), rc.c.timestamp < notified))
    if not found.all_revisions:
        # The change's own page (by id), apart from the page now at its title that the query joins.
        own = page.alias("own_page")
        current = select(own.c.latest).where(own.c.id == rc.c.page_id).scalar_subquery()
        where.append(or_(rc.c.type == RC_LOG, rc.c.this_oldid == current))
    return where


def list_changes(tx: Tx, found: ChangeFilter, *, now: float, newest_first: bool, limit: int,
                 start: float | None, end: float | None, after: tuple[float, int] | None) -> list[ListedChange]:
    """Changes in time order (then id); `after` is a (time, id) continuation."""
    rc = recentchanges
    window, order = time_order(rc.c.timestamp, rc.c.id, newest_first=newest_first, start=start, end=end, after=after)
    where = [rc.c.timestamp >= now - MAX_AGE, *_where(found, now), *window]
    notified = _notification(found.watched_by, now) if found.watched_by is not None else None
    extra = [notified.label("notification")] if notified is not None else []
    query = (select(rc, page.c.is_redirect, page.c.latest.label("page_latest"), revision.c.sha1,
                    log_table.c.params.label("log_params"), *extra)
             # The page now at the change's title, as MediaWiki joins it (for toponly and redirect).
             .select_from(rc.outerjoin(page, and_(page.c.namespace == rc.c.namespace, page.c.title == rc.c.title))
                          .outerjoin(revision, revision.c.id == rc.c.this_oldid)
                          .outerjoin(log_table, log_table.c.id == rc.c.log_id))
             .where(*where).order_by(*order).limit(limit))
    fields = Change.__slots__
    return [ListedChange(Change(**{name: row._mapping[name] for name in fields}), bool(row.is_redirect),
                         row.page_latest or 0, row.sha1, row.log_params, row._mapping.get("notification"))
            for row in tx.execute(query)]
