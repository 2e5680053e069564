"""Editing pages, and what edits and protection share: page state, transclusions, watching.

A request's reads and writes are synchronous functions of a `Tx` run together
as one `Database.write` unit: on SQLite that is one hand-off to the writer
thread, with the write lock held only while the work runs. An edit runs twice through the
same checks: once in a transaction of its own, so that the rate limiter
(asynchronous, and writing to the key-value store, possibly the same SQLite
file) is consulted only for an edit that would be allowed and outside any
write transaction; and once more in the transaction that saves, after the
title is locked, so that two concurrent edits cannot both pass a check the
first one invalidates.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
from dataclasses import dataclass
from enum import StrEnum

from wikigate import titles
from wikigate.config import Settings
from wikigate.services.blocking import active_block
from wikigate.services.permissions import (
    CascadeSource,
    Denial,
    PageState,
    permission_errors,
)
from wikigate.services.ratelimit import RateLimiter
from wikigate.services.users import User
from wikigate.store import changes, logs, users
from wikigate.store import pages as store
from wikigate.store.database import Database, Tx
from wikigate.store.pages import PageRecord, RevisionRecord, TitleProtection, is_active
from wikigate.wikitext import redirects, sections
from wikigate.wikitext.autosummary import autosummary
from wikigate.wikitext.pst import pre_save_transform
from wikigate.wikitext.undo import undo_text


class PageError(Exception):
    """An action on a page was refused; `denials` lists every reason, the first one decides."""

    def __init__(self, key: str | list[Denial], *params: object) -> None:
        self.denials = key if isinstance(key, list) else [Denial(key, params)]
        super().__init__(self.denials[0].key)


class WatchMode(StrEnum):
    WATCH = "watch"
    UNWATCH = "unwatch"
    PREFERENCES = "preferences"
    NOCHANGE = "nochange"


# -- transclusions ----------------------------------------------------------

_TRANSCLUSION = re.compile(r"(?<!\{)\{\{(?!\{)\s*([^{}|\n]+?)\s*(?:\|[^{}]*)?\}\}")
# Variables and parser functions look like templates but name no page.
_MAGIC_PREFIX = re.compile(r"^(#|subst:|safesubst:)", re.IGNORECASE)
_VARIABLE = re.compile(r"^[A-Z!=]+(?::|$)")


def transclusions(text: str, namespaces: titles.Namespaces) -> list[titles.Title]:
    """The pages a wikitext transcludes with `{{…}}` (templates by default), in order of use."""
    found: dict[titles.Title, None] = {}
    for match in _TRANSCLUSION.finditer(text):
        name = match.group(1)
        if _MAGIC_PREFIX.match(name):
            continue
        name = re.sub(r"^msgnw:", "", name, flags=re.IGNORECASE)
        if _VARIABLE.match(name) and namespaces.index(name.partition(":")[0]) is None:
            continue
        try:
            title = titles.parse_title(name, namespaces, default_namespace=titles.NS.TEMPLATE)
        except titles.InvalidTitle:
            continue
        if title.can_exist:
            found.setdefault(title)
    return list(found)


# -- page state -------------------------------------------------------------

def load_state(tx: Tx, namespaces: titles.Namespaces, title: titles.Title, now: float) -> PageState:
    """The title's page, unexpired protections and cascade sources as of `now`."""
    if not title.can_exist:
        return PageState(title=title, page=None)
    record = store.page_by_title(tx, title.namespace, title.dbkey)
    return _state(tx, namespaces, title, record, now)[0]


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """A title as a writer needs it, read once per transaction."""

    state: PageState
    latest: RevisionRecord | None
    has_stored_title_protection: bool  # a protected_titles row, expired or not


def load_snapshot(tx: Tx, namespaces: titles.Namespaces, title: titles.Title, now: float) -> PageSnapshot:
    """`load_state`, with the page's current revision read in the same query as the page."""
    if not title.can_exist:
        return PageSnapshot(PageState(title=title, page=None), None, False)
    found = store.page_with_latest(tx, title.namespace, title.dbkey)
    record, latest = found if found is not None else (None, None)
    state, stored = _state(tx, namespaces, title, record, now)
    return PageSnapshot(state, latest, stored is not None)


def _state(tx: Tx, namespaces: titles.Namespaces, title: titles.Title, record: PageRecord | None,
           now: float) -> tuple[PageState, TitleProtection | None]:
    restrictions = tuple(store.restrictions(tx, [record.id], now)) if record else ()
    stored = None if record else store.stored_title_protection(tx, title.namespace, title.dbkey)
    protection = stored if stored is not None and is_active(stored.expiry, now) else None
    sources = []
    for source, text, restriction in store.cascading_sources(tx, now):
        if title in transclusions(text, namespaces):
            source_title = namespaces.title(source.namespace, source.title)
            sources.append(CascadeSource(source_title, restriction))
    state = PageState(title=title, page=record, restrictions=restrictions, title_protection=protection,
                      cascade_sources=tuple(sources))
    return state, stored


# -- watching ---------------------------------------------------------------

def subject_key(title: titles.Title) -> tuple[int, str]:
    """Watchlist entries cover a page and its talk page together, keyed by the subject."""
    return title.subject_namespace, title.dbkey


def apply_watch(tx: Tx, user: User, title: titles.Title, mode: str,
                now: float, *, expiry: float | None = None) -> bool:
    """Carry out a `watchlist` parameter; True when the page is watched afterwards.

    "preferences" watches, as the default preferences (watchdefault,
    watchcreations) ask for; anonymous users have no watchlist.
    """
    if not title.can_exist:
        return False
    if user.is_anon:
        # Nothing is stored, but MediaWiki still reports what the default preferences ask for
        # (and, oddly, nothing for an explicit `watch`).
        return mode == WatchMode.PREFERENCES
    namespace, dbkey = subject_key(title)
    if mode in (WatchMode.WATCH, WatchMode.PREFERENCES):
        store.watch(tx, user.id, namespace, dbkey, expiry)
        return True
    if mode == WatchMode.UNWATCH:
        store.unwatch(tx, user.id, namespace, dbkey)
        return False
    return bool(store.watched(tx, user.id, [(namespace, dbkey)], now))


# -- recent changes ----------------------------------------------------------

def record_change(tx: Tx, user: User, title: titles.Title, saved: RevisionRecord, previous: RevisionRecord | None,
                  *, bot: bool) -> int:
    """The recent-changes row of a saved revision: a new page or an edit, patrolled already for
    those with `autopatrol` (MediaWiki's $wgUseRCPatrol is on). The page's other watchers now
    have a change they have not seen."""
    store.notify_watchers(tx, subject_key(title), user.id, saved.timestamp)
    _note_new_message(tx, user, title, saved)
    return changes.add_change(
        tx, timestamp=saved.timestamp, user_id=user.id, user_text=user.name, namespace=title.namespace,
        title=title.dbkey, comment=saved.comment, minor=saved.minor, bot=bot,
        type=changes.RC_EDIT if previous is not None else changes.RC_NEW, page_id=saved.page_id,
        this_oldid=saved.id, last_oldid=previous.id if previous is not None else 0,
        patrolled=changes.AUTOPATROLLED if user.has_right("autopatrol") else changes.UNPATROLLED,
        old_len=previous.len if previous is not None else 0, new_len=saved.len, log_id=0, log_type=None,
        log_action=None, ip=user.ip)


def newtalk_key(user: User) -> tuple[int, str]:
    """Whose new-message flag: an account by id, an anonymous user by IP address."""
    return (0, user.name) if user.is_anon else (user.id, "")


def _note_new_message(tx: Tx, editor: User, title: titles.Title, saved: RevisionRecord) -> None:
    """An edit to a user's talk page by someone else leaves them a new message (minor edits by those
    with `nominornewtalk` do not). As in MediaWiki, only seeing it (clearhasmsg here) clears the flag,
    not an edit of one's own there."""
    if title.namespace != titles.NS.USER_TALK or "/" in title.dbkey:
        return
    owner = title.text
    if owner == editor.name:
        return
    if saved.minor and editor.has_right("nominornewtalk"):
        return
    if titles.is_ip(owner):
        users.set_newtalk(tx, 0, owner, saved.timestamp)
    elif (record := users.by_name(tx, owner)) is not None:
        users.set_newtalk(tx, record.id, "", saved.timestamp)


# -- editing ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EditRequest:
    text: str | None = None
    appendtext: str | None = None
    prependtext: str | None = None
    summary: str = ""
    minor: bool = False
    notminor: bool = False
    createonly: bool = False
    nocreate: bool = False
    basetimestamp: float | None = None
    md5: str | None = None
    watchlist: str = WatchMode.PREFERENCES
    # None: the whole page; "new": a new section at the end, under `heading` if given;
    # otherwise a section id ("2", "T-1") whose text is replaced.
    section: str | None = None
    heading: str | None = None
    bot: bool = False  # flag the change as a bot's (for those with the bot right)


@dataclass(frozen=True, slots=True)
class Undo:
    text: str
    # The one revision undone, when only one is: the edit summary then names it.
    single: RevisionRecord | None


@dataclass(frozen=True, slots=True)
class EditOutcome:
    title: titles.Title
    page_id: int
    old_rev_id: int
    revision: RevisionRecord | None  # None: nothing changed
    created: bool
    watched: bool


def _md5_input(request: EditRequest) -> str:
    if request.appendtext is not None or request.prependtext is not None:
        return (request.prependtext or "") + (request.appendtext or "")
    return request.text or ""


def _new_text(request: EditRequest, latest: RevisionRecord | None) -> str:
    """The page's text after the edit, built from its current text; never drops text not sent.

    A section edit replaces exactly the section MediaWiki would (see
    `wikitext.sections`), or is refused; nothing else of the page changes.
    """
    current = latest.text if latest is not None else ""
    section = request.section
    if section is not None and section != "new":
        try:
            sections.parse_section_id(section)
        except sections.InvalidSection:
            raise PageError("apierror-invalidsection") from None
        # As in MediaWiki, only "0" may name a section of a page that doesn't exist yet.
        if section != "0" and (latest is None or sections.get_section(current, section) is None):
            raise PageError("apierror-nosuchsection", section)
    if request.appendtext is not None or request.prependtext is not None:
        if section is None:
            base = current
        elif section == "new":
            base = ""
        else:
            base = sections.get_section(current, section) or ""
        text = (request.prependtext or "") + base + (request.appendtext or "")
    else:
        text = request.text or ""
    if section is None:
        return sections.rtrim(text)
    if section == "new":
        if sections.rtrim(text) == "":
            raise PageError("missingcommenttext")
        heading = f"== {request.heading} ==\n\n" if request.heading else ""
        return sections.rtrim(f"{current}\n\n{heading}{text}" if current.strip(sections.PHP_WHITESPACE) else heading + text)
    if latest is None:
        return sections.rtrim(text)
    replaced = sections.replace_section(current, section, text)
    assert replaced is not None  # the section was found above, in the same text
    return replaced


def _check(tx: Tx, namespaces: titles.Namespaces, settings: Settings, user: User, title: titles.Title,
           request: EditRequest, now: float) -> PageSnapshot:
    snapshot = load_snapshot(tx, namespaces, title, now)
    state = snapshot.state
    if request.createonly and state.exists:
        raise PageError("apierror-articleexists")
    if request.nocreate and not state.exists:
        raise PageError("apierror-missingtitle")
    denials = permission_errors("edit", user, state, settings, block=active_block(tx, user, now))
    if denials:
        raise PageError(denials)
    if request.md5 is not None and hashlib.md5(_md5_input(request).encode("utf-8")).hexdigest() != request.md5:
        raise PageError("apierror-badmd5")
    latest = snapshot.latest
    _new_text(request, latest)  # refuses a section that is malformed or missing, before anything is saved
    if latest is not None and _conflicts(tx, user, request, latest):
        raise PageError("apierror-editconflict")
    return snapshot


def _conflicts(tx: Tx, user: User, request: EditRequest, latest: RevisionRecord) -> bool:
    """Whether the page changed under the editor since `basetimestamp`.

    Like MediaWiki: later revisions by the editor alone are no conflict, and
    neither are later revisions that left the text as it was (protection's
    null revisions), since merging such a change is trivial. Appending and
    prepending apply to the current text and never conflict.
    """
    base = request.basetimestamp
    if base is None or request.text is None or request.section == "new":
        return False
    if math.floor(latest.timestamp) <= math.floor(base):
        return False
    after_base = math.floor(base) + 1
    authors = store.revision_authors_since(tx, latest.page_id, after_base)
    if not user.is_anon and authors == {user.id}:
        return False
    base_revision = store.revision_before(tx, latest.page_id, after_base)
    return base_revision is None or base_revision.text != latest.text


def _redirect_link_text(text: str, namespaces: titles.Namespaces) -> str | None:
    target = redirects.redirect_target(text, namespaces)
    return None if target is None else redirects.full_text(target)


def _save(tx: Tx, namespaces: titles.Namespaces, settings: Settings, user: User, title: titles.Title,
          request: EditRequest, now: float) -> EditOutcome:
    store.lock_title(tx, title.namespace, title.dbkey)
    snapshot = _check(tx, namespaces, settings, user, title, request, now)
    record, latest = snapshot.state.page, snapshot.latest
    sent = _new_text(request, latest)
    text = sections.rtrim(pre_save_transform(sent, user_name=user.name, anonymous=user.is_anon, now=now))
    if record is not None and latest is not None and text == latest.text:
        watched = apply_watch(tx, user, title, request.watchlist, now)
        return EditOutcome(title, record.id, latest.id, None, False, watched)
    created = record is None
    summary = request.summary or autosummary(
        latest.text if latest is not None else None, sent, lambda text: _redirect_link_text(text, namespaces))
    page_id = store.create_page(tx, title.namespace, title.dbkey, now) if record is None else record.id
    minor = (not created and request.minor and not request.notminor and user.has_right("minoredit"))
    revision = store.add_revision(
        tx, page_id=page_id, parent_id=latest.id if latest else None, text=text,
        comment=summary, user_id=user.id, user_text=user.name, now=now, minor=minor,
        is_new=created, is_redirect=redirects.redirect_target(text, namespaces) is not None)
    store.count_edit(tx, user.id)
    record_change(tx, user, title, revision, latest, bot=request.bot and user.has_right("bot"))
    if created:
        # The creation shows in the recent changes as the new page, not as a log action too.
        logs.add_log(tx, type="create", action="create", now=now, user_id=user.id, user_text=user.name,
                     namespace=title.namespace, title=title.dbkey, page_id=page_id, comment=summary,
                     params={}, recent=False)
    if created and snapshot.has_stored_title_protection:
        # An existing page needs no create protection any more.
        store.delete_title_protection(tx, title.namespace, title.dbkey)
    watched = apply_watch(tx, user, title, request.watchlist, now)
    return EditOutcome(title, page_id, latest.id if latest else 0, revision, created, watched)


class Pages:
    """Saving edits, and finding the page a request names."""

    def __init__(self, database: Database, settings: Settings, namespaces: titles.Namespaces,
                 rate_limiter: RateLimiter) -> None:
        self._database = database
        self._settings = settings
        self._namespaces = namespaces
        self._rate_limiter = rate_limiter

    async def edit(self, user: User, title: titles.Title, request: EditRequest, *, now: float,
                   ip: str) -> EditOutcome:
        """Save a new revision of a page (creating it if needed), as `user` at `now`."""
        namespaces, settings = self._namespaces, self._settings
        await self._database.read(lambda tx: _check(tx, namespaces, settings, user, title, request, now))
        if await self._rate_limiter.exceeded(user, "edit", ip):
            raise PageError("apierror-ratelimited")
        return await self._database.write(lambda tx: _save(tx, namespaces, settings, user, title, request, now))

    async def set_watched(self, user: User, page_titles: list[titles.Title], watched: bool, now: float) -> None:
        """Watch or unwatch titles (and with them their talk or subject pages), in one transaction."""
        mode = WatchMode.WATCH if watched else WatchMode.UNWATCH

        def work(tx: Tx) -> None:
            for title in page_titles:
                apply_watch(tx, user, title, mode, now)

        await self._database.write(work)

    async def undo(self, title: titles.Title, undo: int, undo_after: int | None) -> Undo:
        """The text an undo of revisions `undo_after`+1 … `undo` of the page would save (MediaWiki's order of checks)."""

        def read(tx: Tx) -> tuple[RevisionRecord, RevisionRecord, RevisionRecord | None, bool]:
            undone = store.revision_by_id(tx, undo)
            if undone is None:
                raise PageError("apierror-nosuchrevid", undo)
            after = (store.revision_by_id(tx, undo_after) if undo_after is not None
                     else store.neighbour_revision(tx, undone, later=False))
            if after is None:
                raise PageError("apierror-nosuchrevid", undo_after)
            found = store.page_with_latest(tx, title.namespace, title.dbkey)
            record, latest = found if found is not None else (None, None)
            for revision in (undone, after):
                if record is None or revision.page_id != record.id:
                    raise PageError("apierror-revwrongpage", revision.id, title.prefixed_text)
            single = store.neighbour_revision(tx, after, later=True)
            return undone, after, latest, single is not None and single.id == undone.id

        undone, after, latest, single = await self._database.read(read)
        assert latest is not None
        text = await asyncio.to_thread(undo_text, latest.text, undone.text, after.text)
        if text is None:
            raise PageError("undo-failure")
        return Undo(text, undone if single else None)

    async def latest_revision(self, title: titles.Title) -> RevisionRecord | None:
        """The page's current revision (None: no such page)."""
        found = await self._database.read(lambda tx: store.page_with_latest(tx, title.namespace, title.dbkey))
        return None if found is None else found[1]

    async def has_new_message(self, user: User) -> bool:
        return await self._database.read(lambda tx: users.has_newtalk(tx, *newtalk_key(user)))

    async def clear_new_message(self, user: User) -> None:
        await self._database.write(lambda tx: users.clear_newtalk(tx, *newtalk_key(user)))

    async def resolve_existing(self, title_text: str | None, page_id: int | None) -> titles.Title:
        """`resolve_title`, for an action on a page that must exist (missingtitle otherwise)."""
        title = await self.resolve_title(title_text, page_id)
        if not await self.page_exists(title):
            raise PageError("apierror-missingtitle")
        return title

    async def page_exists(self, title: titles.Title) -> bool:
        return await self._database.read(lambda tx: store.page_by_title(tx, title.namespace, title.dbkey) is not None)

    async def revision_exists(self, rev_id: int) -> bool:
        return await self._database.read(lambda tx: store.revision_by_id(tx, rev_id) is not None)

    async def resolve_title(self, title_text: str | None, page_id: int | None) -> titles.Title:
        """The title named by a `title` or a `pageid` parameter (exactly one is given)."""
        if title_text is not None:
            try:
                title = titles.parse_title(title_text, self._namespaces)
            except titles.InvalidTitle:
                raise PageError("apierror-invalidtitle", title_text) from None
            if not title.can_exist:
                raise PageError("apierror-pagecannotexist")
            return title
        record = await self._database.read(lambda tx: store.page_by_id(tx, page_id or 0))
        if record is None:
            raise PageError("apierror-nosuchpageid", page_id)
        return self._namespaces.title(record.namespace, record.title)
