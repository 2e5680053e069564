"""Moving pages (MediaWiki's MovePage), with their talk pages and subpages, in one transaction.

A move renames the page row, so the page keeps its id, history and
protections; a minor null revision records it. Unless suppressed (which
needs `suppressredirect`), a redirect is created at the old title and gets
the old protections too, logged as protect/move_prot. A target that is a
redirect of one revision back to the source is deleted first
(delete/delete_redir) and the move is logged move/move_redir. Watchers of
the old title come to watch the new one. The talk page and subpages move
after the page, each checked on its own; their refusals are reported and
do not undo the main move.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wikigate import titles
from wikigate.config import Settings
from wikigate.services.blocking import ActiveBlock, active_block
from wikigate.services.pages import (
    PageError,
    PageSnapshot,
    WatchMode,
    apply_watch,
    load_snapshot,
    subject_key,
)
from wikigate.services.permissions import Denial, level_right, permission_errors
from wikigate.services.ratelimit import RateLimiter
from wikigate.services.users import User
from wikigate.store import archive, logs
from wikigate.store import pages as store
from wikigate.store.database import Database, Tx
from wikigate.store.pages import Restriction
from wikigate.wikitext import redirects

# $wgMaximumMovedPages: subpages moved along with a page, at most.
MAXIMUM_MOVED_PAGES = 100


@dataclass(frozen=True, slots=True)
class MoveRequest:
    reason: str = ""
    move_talk: bool = False
    move_subpages: bool = False
    no_redirect: bool = False
    watchlist: str = WatchMode.PREFERENCES


@dataclass(frozen=True, slots=True)
class Moved:
    source: titles.Title
    target: titles.Title
    redirect_created: bool
    over_redirect: bool


@dataclass(frozen=True, slots=True)
class SubpageMove:
    source: titles.Title
    target: titles.Title | None  # None: refused, see denials
    denials: tuple[Denial, ...] = ()


@dataclass(slots=True)
class MoveOutcome:
    main: Moved
    talk: Moved | None = None
    talk_denials: tuple[Denial, ...] = ()
    # None: not asked for; a tuple of denials alone: none of them could be tried.
    subpages: list[SubpageMove] | tuple[Denial, ...] | None = None
    talk_subpages: list[SubpageMove] | tuple[Denial, ...] | None = None
    warnings: list[Denial] = field(default_factory=list)


def redirect_text(target: titles.Title) -> str:
    # A category link would file the redirect in the category, so it gets a leading colon.
    colon = ":" if target.namespace == titles.NS.CATEGORY else ""
    return f"#REDIRECT [[{colon}{target.prefixed_text}]]"


class Moves:
    """Moving pages."""

    def __init__(self, database: Database, settings: Settings, namespaces: titles.Namespaces,
                 rate_limiter: RateLimiter) -> None:
        self._database = database
        self._settings = settings
        self._namespaces = namespaces
        self._rate_limiter = rate_limiter

    async def move(self, user: User, source: titles.Title, target: titles.Title, request: MoveRequest, *,
                   now: float, ip: str) -> MoveOutcome:
        # One rate-limit hit per request, however many pages it moves, as in MediaWiki.
        if await self._rate_limiter.exceeded(user, "move", ip):
            raise PageError("apierror-ratelimited")
        return await self._database.write(lambda tx: self._move(tx, user, source, target, request, now))

    def _move(self, tx: Tx, user: User, source: titles.Title, target: titles.Title, request: MoveRequest,
              now: float) -> MoveOutcome:
        outcome = MoveOutcome(self._move_page(tx, user, source, target, request, now))
        source_talk, target_talk = self._talk(source), self._talk(target)
        if request.move_talk and target_talk is not None and source_talk is not None and not source.is_talk:
            if store.page_by_title(tx, source_talk.namespace, source_talk.dbkey) is not None:
                try:
                    outcome.talk = self._move_page(tx, user, source_talk, target_talk, request, now)
                except PageError as error:
                    outcome.talk_denials = tuple(error.denials)
        if request.move_subpages:
            outcome.subpages = self._move_subpages(tx, user, source, target, request, now)
            if request.move_talk and target_talk is not None and source_talk is not None:
                outcome.talk_subpages = self._move_subpages(tx, user, source_talk, target_talk, request, now)
        # The watchmoves preference that would decide is off by default.
        mode = WatchMode.NOCHANGE if request.watchlist == WatchMode.PREFERENCES else request.watchlist
        apply_watch(tx, user, source, mode, now)
        apply_watch(tx, user, target, mode, now)
        return outcome

    def _talk(self, title: titles.Title) -> titles.Title | None:
        namespace = title.talk_namespace
        return None if namespace is None else self._namespaces.title(namespace, title.dbkey)

    def _move_subpages(self, tx: Tx, user: User, source: titles.Title, target: titles.Title,
                       request: MoveRequest, now: float) -> list[SubpageMove] | tuple[Denial, ...]:
        state = load_snapshot(tx, self._namespaces, source, now).state
        if permission_errors("move-subpages", user, state, self._settings, block=active_block(tx, user, now),
                             short=True):
            return (Denial("cant-move-subpages"),)
        for title in (source, target):
            if title.namespace not in titles.SUBPAGE_NAMESPACES:
                return (Denial("namespace-nosubpages", (self._namespaces[title.namespace].canonical,)),)
        results: list[SubpageMove] = []
        found = store.subpages(tx, source.namespace, source.dbkey, MAXIMUM_MOVED_PAGES + 1)
        moved_ids = {page.id for page in (store.page_by_title(tx, t.namespace, t.dbkey) for t in (source, target))
                     if page is not None}
        for count, record in enumerate(found, start=1):
            if record.id in moved_ids:
                continue  # the page itself, when it moved under its own old title
            old = self._namespaces.title(record.namespace, record.title)
            if count > MAXIMUM_MOVED_PAGES:
                results.append(SubpageMove(old, None, (Denial("movepage-max-pages", (MAXIMUM_MOVED_PAGES,)),)))
                break
            namespace = target.talk_namespace if old.is_talk else target.subject_namespace
            assert namespace is not None
            new_key = target.dbkey + record.title[len(source.dbkey):]
            try:
                new = titles.parse_title(self._namespaces.title(namespace, new_key).prefixed_text, self._namespaces)
                moved = self._move_page(tx, user, old, new, request, now)
            except titles.InvalidTitle:
                results.append(SubpageMove(old, None, (Denial("movepage-invalid-target-title"),)))
            except PageError as error:
                results.append(SubpageMove(old, None, tuple(error.denials)))
            else:
                results.append(SubpageMove(old, moved.target))
        return results

    def _move_page(self, tx: Tx, user: User, source: titles.Title, target: titles.Title, request: MoveRequest,
                   now: float) -> Moved:
        for title in sorted({source, target}, key=lambda t: (t.namespace, t.dbkey)):
            if title.can_exist:
                store.lock_title(tx, title.namespace, title.dbkey)
        src = load_snapshot(tx, self._namespaces, source, now)
        if not src.state.exists:
            raise PageError("apierror-missingtitle")
        dst = load_snapshot(tx, self._namespaces, target, now)
        denials = self._invalid(tx, src, dst) + self._refusals(user, src, dst, active_block(tx, user, now))
        if denials:
            raise PageError(denials)
        create_redirect = not request.no_redirect or not user.has_right("suppressredirect")
        return self._carry_out(tx, user, src, dst, request.reason, create_redirect, now)

    def _invalid(self, tx: Tx, src: PageSnapshot, dst: PageSnapshot) -> list[Denial]:
        """MovePage::isValidMove: what makes a move impossible whoever asks."""
        source, target = src.state.title, dst.state.title
        errors = []
        if source == target:
            errors.append(Denial("selfmove"))
        elif dst.state.page is not None and not self._replaceable(tx, src, dst):
            single_redirect = dst.state.page.is_redirect and store.has_one_revision(tx, dst.state.page.id)
            errors.append(Denial("redirectexists" if single_redirect else "articleexists", (target.prefixed_text,)))
        if not target.can_exist:
            errors.append(Denial("immobile-target-namespace", (target.ns_text,)))
        if source.namespace == titles.NS.FILE and target.namespace != titles.NS.FILE:
            errors.append(Denial("imagenocrossnamespace"))
        if target.namespace == titles.NS.FILE and source.namespace != titles.NS.FILE:
            errors.append(Denial("nonfile-cannot-move-to-file"))
        return errors

    def _replaceable(self, tx: Tx, src: PageSnapshot, dst: PageSnapshot) -> bool:
        """A target may be deleted to make way when it is a one-revision redirect to the source (or itself)."""
        record, latest = dst.state.page, dst.latest
        if record is None or latest is None or not record.is_redirect or not store.has_one_revision(tx, record.id):
            return False
        found = redirects.redirect_target(latest.text, self._namespaces)
        return found is not None and found[0] in (src.state.title, dst.state.title)

    def _refusals(self, user: User, src: PageSnapshot, dst: PageSnapshot, block: ActiveBlock | None) -> list[Denial]:
        settings, errors = self._settings, []
        for action, state in (("move", src.state), ("edit", src.state), ("move-target", dst.state),
                              ("edit", dst.state)):
            errors += [d for d in permission_errors(action, user, state, settings, block=block) if d not in errors]
        protection = dst.state.title_protection
        if protection is not None and not user.has_right(level_right(protection.level)):
            errors.append(Denial("cantmove-titleprotected"))
        return errors

    def _carry_out(self, tx: Tx, user: User, src: PageSnapshot, dst: PageSnapshot, reason: str,
                   create_redirect: bool, now: float) -> Moved:
        source, target = src.state.title, dst.state.title
        record, latest = src.state.page, src.latest
        assert record is not None and latest is not None
        over_redirect = dst.state.page is not None
        if dst.state.page is not None:
            archive.archive_page(tx, dst.state.page)
            logs.add_log(tx, type="delete", action="delete_redir", now=now, user_id=user.id, user_text=user.name,
                         namespace=target.namespace, title=target.dbkey, page_id=dst.state.page.id,
                         comment=f'Deleted to make way for move from "[[{source.prefixed_text}]]"', params={},
                         bot=user.has_right("bot"))
        action = f"{user.name} moved page [[{source.prefixed_text}]] to [[{target.prefixed_text}]]"
        comment = action + (" over redirect" if over_redirect else "") + (f": {reason}" if reason else "")
        store.rename_page(tx, record.id, target.namespace, target.dbkey)
        null_revision = store.add_revision(
            tx, page_id=record.id, parent_id=latest.id, text=latest.text, comment=comment, user_id=user.id,
            user_text=user.name, now=now, minor=True, is_new=False, is_redirect=record.is_redirect)
        store.count_edit(tx, user.id)
        store.delete_title_protection(tx, target.namespace, target.dbkey)
        redirect_id = None
        if create_redirect:
            redirect_id = store.create_page(tx, source.namespace, source.dbkey, now)
            store.add_revision(tx, page_id=redirect_id, parent_id=None, text=redirect_text(target), comment=comment,
                               user_id=user.id, user_text=user.name, now=now, minor=False, is_new=True,
                               is_redirect=True)
            store.count_edit(tx, user.id)
        logs.add_log(tx, type="move", action="move_redir" if over_redirect else "move", now=now, user_id=user.id,
                     user_text=user.name, namespace=source.namespace, title=source.dbkey, page_id=record.id,
                     comment=reason, params={"target_ns": target.namespace, "target_title": target.prefixed_text,
                                             "suppressredirect": not create_redirect},
                     bot=user.has_right("bot"), rev_id=null_revision.id)
        protections = [r for r in src.state.restrictions if r.level]
        if protections:
            # The redirect left behind is protected as the page was.
            if redirect_id is not None:
                store.replace_restrictions(tx, redirect_id, [
                    Restriction(redirect_id, r.type, r.level, r.cascade, r.expiry) for r in protections])
            logs.add_log(tx, type="protect", action="move_prot", now=now, user_id=user.id, user_text=user.name,
                         namespace=target.namespace, title=target.dbkey, page_id=record.id,
                         comment=f"[[{source.prefixed_text}]] moved to [[{target.prefixed_text}]]"
                                 + (f": {reason}" if reason else ""),
                         params={"oldtitle_ns": source.namespace, "oldtitle_title": source.prefixed_text},
                         bot=user.has_right("bot"))
        if subject_key(source) != subject_key(target):
            store.copy_watchers(tx, subject_key(source), subject_key(target))
        return Moved(source, target, redirect_id is not None, over_redirect)
