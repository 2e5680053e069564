"""Rolling back a page (MediaWiki's RollbackPage): the latest run of one user's edits undone at once.

The page goes back to the text of its last revision by someone else, as a
new revision by the performer (minor for those with `minoredit`), in one
transaction after the same checks as MediaWiki: rights to edit and to roll
back, the rate limit, the latest revision being by the named user
(`alreadyrolled`), someone else having edited before (`cantrollback`).
The reverted edits count as patrolled, and with `markbot` (for those who
may mark bot edits) they and the rollback are flagged as bot edits.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikigate import titles
from wikigate.config import Settings
from wikigate.messages import Message, render
from wikigate.services.blocking import active_block
from wikigate.services.pages import PageError, WatchMode, apply_watch, load_snapshot, record_change
from wikigate.services.permissions import permission_errors
from wikigate.services.ratelimit import RateLimiter
from wikigate.services.users import User
from wikigate.store import changes
from wikigate.store import pages as store
from wikigate.store.database import Database, Tx
from wikigate.store.pages import RevisionRecord
from wikigate.wikitext import redirects
from wikigate.wikitext.pst import timestamp


@dataclass(frozen=True, slots=True)
class RollbackOutcome:
    title: titles.Title
    page_id: int
    summary: str
    revision_id: int
    reverted: RevisionRecord  # the page's latest revision before
    restored: RevisionRecord  # the last revision by someone else, whose text is back


class Rollbacks:
    def __init__(self, database: Database, settings: Settings, namespaces: titles.Namespaces,
                 rate_limiter: RateLimiter) -> None:
        self._database = database
        self._settings = settings
        self._namespaces = namespaces
        self._rate_limiter = rate_limiter

    async def rollback(self, user: User, title: titles.Title, by_user: str, *, summary: str, markbot: bool,
                       watchlist: str, now: float, ip: str) -> RollbackOutcome:
        state, block = await self._database.read(
            lambda tx: (load_snapshot(tx, self._namespaces, title, now).state, active_block(tx, user, now)))
        denials = permission_errors("edit", user, state, self._settings, block=block)
        denials += [d for d in permission_errors("rollback", user, state, self._settings, block=block)
                    if d not in denials]
        if denials:
            raise PageError(denials)
        if await self._rate_limiter.exceeded(user, "rollback", ip):
            raise PageError("actionthrottledtext")
        return await self._database.write(
            lambda tx: self._rollback(tx, user, title, by_user, summary, markbot, watchlist, now))

    def _rollback(self, tx: Tx, user: User, title: titles.Title, by_user: str, summary: str, markbot: bool,
                  watchlist: str, now: float) -> RollbackOutcome:
        store.lock_title(tx, title.namespace, title.dbkey)
        snapshot = load_snapshot(tx, self._namespaces, title, now)
        record, current = snapshot.state.page, snapshot.latest
        if record is None or current is None:
            raise PageError("apierror-missingtitle")
        if current.user_text != by_user:
            raise PageError("alreadyrolled", title.prefixed_text, by_user, current.user_text)
        target = store.last_revision_not_by(tx, record.id, current.user_text)
        if target is None:
            raise PageError("cantrollback")
        text = _summary(summary, current, target)
        if target.text == current.text:
            # Nothing would change: MediaWiki reports that as a rollback already done.
            raise PageError("alreadyrolled", title.prefixed_text, by_user, current.user_text)
        saved = store.add_revision(
            tx, page_id=record.id, parent_id=current.id, text=target.text, comment=text, user_id=user.id,
            user_text=user.name, now=now, minor=user.has_right("minoredit"), is_new=False,
            is_redirect=redirects.redirect_target(target.text, self._namespaces) is not None)
        store.count_edit(tx, user.id)
        bot = markbot and (user.has_right("markbotedits") or user.has_right("bot"))
        record_change(tx, user, title, saved, current, bot=bot)
        changes.mark_reverted(tx, record.id, current.user_text, (target.timestamp, target.id), bot=bot)
        # The watchrollback preference that would decide is off by default.
        apply_watch(tx, user, title, WatchMode.NOCHANGE if watchlist == WatchMode.PREFERENCES else watchlist, now)
        return RollbackOutcome(title, record.id, text, saved.id, current, target)


def _summary(given: str, current: RevisionRecord, target: RevisionRecord) -> str:
    """The rollback's summary: MediaWiki's revertpage, or the given one, with $1…$6 filled in alike."""
    template = given or render(Message("revertpage"), "wikitext")
    values = [target.user_text, current.user_text, str(target.id), _when(target.timestamp), str(current.id),
              _when(current.timestamp)]
    for number in range(len(values), 0, -1):
        template = template.replace(f"${number}", values[number - 1])
    return template.strip()


def _when(moment: float) -> str:
    return timestamp(moment).removesuffix(" (UTC)")
