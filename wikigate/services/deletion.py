"""Deleting pages and restoring them (MediaWiki's DeletePage and UndeletePage), each in one transaction.

A deletion archives every revision of the page, removes the page with its
protections (create protection of the title is untouched, and applies from
then on) and writes a delete/delete log entry; the talk page can go with it.
An undeletion restores all archived revisions of the title, or those saved
at given times, into a new page (with its old id when that is free) or into
the page now there, and writes a delete/restore entry counting them.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikigate import titles
from wikigate.config import Settings
from wikigate.messages import Message, render
from wikigate.services.blocking import active_block
from wikigate.services.pages import PageError, PageSnapshot, WatchMode, apply_watch, load_snapshot
from wikigate.services.permissions import Denial, permission_errors
from wikigate.services.users import User
from wikigate.store import archive, logs
from wikigate.store import pages as store
from wikigate.store.database import Database, Tx
from wikigate.wikitext import redirects
from wikigate.wikitext.autosummary import auto_delete_reason


@dataclass(frozen=True, slots=True)
class DeleteOutcome:
    title: titles.Title
    reason: str
    log_id: int
    warnings: tuple[Denial, ...]  # why the talk page asked for could not go too


@dataclass(frozen=True, slots=True)
class UndeleteOutcome:
    title: titles.Title
    revisions: int


def _watchlist_mode(mode: str) -> str:
    # The preference that would decide (watchdeletion) is off by default.
    return WatchMode.NOCHANGE if mode == WatchMode.PREFERENCES else mode


class Deletions:
    """Deleting and undeleting pages."""

    def __init__(self, database: Database, settings: Settings, namespaces: titles.Namespaces) -> None:
        self._database = database
        self._settings = settings
        self._namespaces = namespaces

    async def delete(self, user: User, title: titles.Title, *, reason: str | None, delete_talk: bool,
                     watchlist: str, now: float) -> DeleteOutcome:
        return await self._database.write(
            lambda tx: self._delete(tx, user, title, reason, delete_talk, watchlist, now))

    async def undelete(self, user: User, title: titles.Title, *, reason: str, timestamps: list[float],
                       undelete_talk: bool, watchlist: str, now: float) -> UndeleteOutcome:
        return await self._database.write(
            lambda tx: self._undelete(tx, user, title, reason, timestamps, undelete_talk, watchlist, now))

    def _delete(self, tx: Tx, user: User, title: titles.Title, reason: str | None, delete_talk: bool,
                watchlist: str, now: float) -> DeleteOutcome:
        store.lock_title(tx, title.namespace, title.dbkey)
        snapshot = load_snapshot(tx, self._namespaces, title, now)
        if not snapshot.state.exists:
            raise PageError("apierror-missingtitle")
        warnings: list[Denial] = []
        talk: PageSnapshot | None = None
        if delete_talk:
            talk, warning = self._talk_to_delete(tx, title, now)
            if warning is not None:
                warnings.append(warning)
        block = active_block(tx, user, now)
        denials = permission_errors("delete", user, snapshot.state, self._settings, block=block)
        if talk is not None:
            denials += [d for d in permission_errors("delete", user, talk.state, self._settings, block=block)
                        if d not in denials]
        if denials:
            raise PageError(denials)
        if reason is None:
            reason = self._auto_reason(tx, snapshot)
        log_id = _delete_page(tx, user, snapshot, reason, now)
        if talk is not None:
            prefix = render(Message("delete-talk-summary-prefix", (reason,)), "wikitext")
            _delete_page(tx, user, talk, prefix, now)
        apply_watch(tx, user, title, _watchlist_mode(watchlist), now)
        return DeleteOutcome(title, reason, log_id, tuple(warnings))

    def _talk_to_delete(self, tx: Tx, title: titles.Title, now: float) -> tuple[PageSnapshot | None, Denial | None]:
        if title.is_talk or title.talk_namespace is None:
            return None, Denial("delete-error-associated-alreadytalk")
        talk_title = self._namespaces.title(title.talk_namespace, title.dbkey)
        store.lock_title(tx, talk_title.namespace, talk_title.dbkey)
        talk = load_snapshot(tx, self._namespaces, talk_title, now)
        if not talk.state.exists:
            return None, Denial("delete-error-associated-doesnotexist")
        return talk, None

    @staticmethod
    def _auto_reason(tx: Tx, snapshot: PageSnapshot) -> str:
        latest = snapshot.latest
        assert latest is not None and snapshot.state.page is not None
        previous = store.neighbour_revision(tx, latest, later=False) if not latest.text else None
        authors = set(archive.first_authors(tx, snapshot.state.page.id))
        only_author = authors.pop() if len(authors) == 1 else None
        return auto_delete_reason(latest.text, previous.text if previous else None, only_author)

    def _undelete(self, tx: Tx, user: User, title: titles.Title, reason: str, timestamps: list[float],
                  undelete_talk: bool, watchlist: str, now: float) -> UndeleteOutcome:
        store.lock_title(tx, title.namespace, title.dbkey)
        snapshot = load_snapshot(tx, self._namespaces, title, now)
        block = active_block(tx, user, now)
        denials = permission_errors("undelete", user, snapshot.state, self._settings, block=block)
        if denials:
            raise PageError(denials)
        restored = self._restore(tx, user, snapshot, reason, timestamps, now)
        if restored == 0:
            raise PageError("apierror-cantundelete")
        if undelete_talk and not title.is_talk and title.talk_namespace is not None:
            talk_title = self._namespaces.title(title.talk_namespace, title.dbkey)
            store.lock_title(tx, talk_title.namespace, talk_title.dbkey)
            talk = load_snapshot(tx, self._namespaces, talk_title, now)
            if not permission_errors("undelete", user, talk.state, self._settings, block=block, short=True):
                self._restore(tx, user, talk, reason, [], now)
        apply_watch(tx, user, title, _watchlist_mode(watchlist), now)
        return UndeleteOutcome(title, restored)

    def _restore(self, tx: Tx, user: User, snapshot: PageSnapshot, reason: str, timestamps: list[float],
                 now: float) -> int:
        title = snapshot.state.title
        rows = archive.archived(tx, title.namespace, title.dbkey, timestamps)
        if not rows:
            return 0
        newest = rows[-1]
        record = snapshot.state.page
        if record is None:
            reuse = newest.page_id if archive.page_id_free(tx, newest.page_id) else None
            page_id = store.create_page(tx, title.namespace, title.dbkey, now, page_id=reuse)
            store.delete_title_protection(tx, title.namespace, title.dbkey)  # as any page creation does
        else:
            page_id = record.id
        archive.restore(tx, rows, page_id)
        latest = snapshot.latest
        if record is None or latest is None or newest.timestamp > latest.timestamp:
            current = store.revision_by_id(tx, newest.rev_id)
            assert current is not None
            store.set_latest(tx, page_id, current, is_new=record is None, now=now,
                             is_redirect=redirects.redirect_target(current.text, self._namespaces) is not None)
        logs.add_log(tx, type="delete", action="restore", now=now, user_id=user.id, user_text=user.name,
                     namespace=title.namespace, title=title.dbkey, page_id=page_id, comment=reason,
                     params={"count": {"revisions": len(rows), "files": 0}}, bot=user.has_right("bot"))
        return len(rows)


def _delete_page(tx: Tx, user: User, snapshot: PageSnapshot, reason: str, now: float) -> int:
    record = snapshot.state.page
    assert record is not None
    archive.archive_page(tx, record)
    title = snapshot.state.title
    return logs.add_log(tx, type="delete", action="delete", now=now, user_id=user.id, user_text=user.name,
                        namespace=title.namespace, title=title.dbkey, page_id=record.id, comment=reason, params={},
                        bot=user.has_right("bot"))
