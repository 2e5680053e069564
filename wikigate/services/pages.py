"""Editing pages, and what edits and protection share: page state, transclusions, watching.

An edit runs twice through the same checks: once on a plain read, so the
rate limiter (which writes to the key-value store, possibly the same SQLite
file) is consulted outside any write transaction, and once more inside the
transaction that saves, after the title is locked, so that two concurrent
edits cannot both pass a check the first one invalidates.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from wikigate import titles
from wikigate.services.permissions import CascadeSource, Denial, PageState, permission_errors
from wikigate.services.ratelimit import limit_exceeded
from wikigate.services.users import User
from wikigate.store.pages import PageRepository, RevisionRecord

if TYPE_CHECKING:
    from wikigate.app import Services

REPOSITORY = PageRepository()


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

async def load_state(connection: AsyncConnection, services: "Services", title: titles.Title,
                     now: float) -> PageState:
    """The title's page, unexpired protections and cascade sources as of `now`."""
    repo = REPOSITORY
    if not title.can_exist:
        return PageState(title=title, page=None)
    record = await repo.page_by_title(connection, title.namespace, title.dbkey)
    restrictions = tuple(await repo.restrictions(connection, [record.id], now)) if record else ()
    protection = None if record else await repo.title_protection(connection, title.namespace, title.dbkey, now)
    sources = []
    for source, text, restriction in await repo.cascading_sources(connection, now):
        if title in transclusions(text, services.namespaces):
            source_title = services.namespaces.title(source.namespace, source.title)
            sources.append(CascadeSource(source_title, restriction))
    return PageState(title=title, page=record, restrictions=restrictions, title_protection=protection,
                     cascade_sources=tuple(sources))


# -- watching ---------------------------------------------------------------

def subject_key(title: titles.Title) -> tuple[int, str]:
    """Watchlist entries cover a page and its talk page together, keyed by the subject."""
    return title.subject_namespace, title.dbkey


async def apply_watch(connection: AsyncConnection, user: User, title: titles.Title, mode: str,
                      now: float, *, expiry: float | None = None) -> bool:
    """Carry out a `watchlist` parameter; True when the page is watched afterwards.

    "preferences" watches, as the default preferences (watchdefault,
    watchcreations) ask for; anonymous users have no watchlist.
    """
    if not title.can_exist:
        return False
    if user.is_anon:
        # Nothing is stored, but MediaWiki still reports what the preferences ask for.
        return mode in (WatchMode.WATCH, WatchMode.PREFERENCES)
    namespace, dbkey = subject_key(title)
    repo = REPOSITORY
    if mode in (WatchMode.WATCH, WatchMode.PREFERENCES):
        await repo.watch(connection, user.id, namespace, dbkey, expiry)
        return True
    if mode == WatchMode.UNWATCH:
        await repo.unwatch(connection, user.id, namespace, dbkey)
        return False
    return bool(await repo.watched(connection, user.id, [(namespace, dbkey)], now))


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
    # section=new: the text becomes a new section at the end, under this heading if given.
    new_section: bool = False
    section_title: str | None = None


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


def _new_text(request: EditRequest, current: str) -> str:
    if request.appendtext is not None or request.prependtext is not None:
        return (request.prependtext or "") + current + (request.appendtext or "")
    if request.new_section:
        heading = f"== {request.section_title} ==\n\n" if request.section_title else ""
        section = heading + (request.text or "")
        return f"{current}\n\n{section}" if current else section
    return request.text or ""


async def _check(connection: AsyncConnection, services: "Services", user: User, title: titles.Title,
                 request: EditRequest, now: float) -> tuple[PageState, RevisionRecord | None]:
    state = await load_state(connection, services, title, now)
    if request.createonly and state.exists:
        raise PageError("apierror-articleexists")
    if request.nocreate and not state.exists:
        raise PageError("apierror-missingtitle")
    denials = permission_errors("edit", user, state, services.settings)
    if denials:
        raise PageError(denials)
    if request.md5 is not None and hashlib.md5(_md5_input(request).encode("utf-8")).hexdigest() != request.md5:
        raise PageError("apierror-badmd5")
    latest = await REPOSITORY.revision(connection, state.page.latest) if state.page else None
    if latest is not None and await _conflicts(connection, user, request, latest):
        raise PageError("apierror-editconflict")
    return state, latest


async def _conflicts(connection: AsyncConnection, user: User, request: EditRequest,
                     latest: RevisionRecord) -> bool:
    """Whether the page changed under the editor since `basetimestamp`.

    Like MediaWiki: later revisions by the editor alone are no conflict, and
    neither are later revisions that left the text as it was (protection's
    null revisions), since merging such a change is trivial. Appending and
    prepending apply to the current text and never conflict.
    """
    base = request.basetimestamp
    if base is None or request.text is None or request.new_section:
        return False
    if math.floor(latest.timestamp) <= math.floor(base):
        return False
    after_base = math.floor(base) + 1
    authors = await REPOSITORY.revision_authors_since(connection, latest.page_id, after_base)
    if not user.is_anon and authors == {user.id}:
        return False
    base_revision = await REPOSITORY.revision_before(connection, latest.page_id, after_base)
    return base_revision is None or base_revision.text != latest.text


async def edit(services: "Services", user: User, title: titles.Title, request: EditRequest, *,
               now: float, ip: str) -> EditOutcome:
    """Save a new revision of a page (creating it if needed), as `user` at `now`."""
    async with services.engine.connect() as connection:
        await _check(connection, services, user, title, request, now)
    if await limit_exceeded(services, user, "edit", ip):
        raise PageError("apierror-ratelimited")
    repo = REPOSITORY
    async with services.engine.begin() as connection:
        await repo.lock_title(connection, title.namespace, title.dbkey)
        state, latest = await _check(connection, services, user, title, request, now)
        current = latest.text if latest else ""
        text = _new_text(request, current)
        if state.page is not None and latest is not None and text == current:
            watched = await apply_watch(connection, user, title, request.watchlist, now)
            return EditOutcome(title, state.page.id, latest.id, None, False, watched)
        created = state.page is None
        page_id = (await repo.create_page(connection, title.namespace, title.dbkey, now)
                   if state.page is None else state.page.id)
        minor = (not created and request.minor and not request.notminor and user.has_right("minoredit"))
        revision = await repo.add_revision(
            connection, page_id=page_id, parent_id=latest.id if latest else None, text=text,
            comment=request.summary, user_id=user.id, user_text=user.name, now=now, minor=minor,
            is_new=created)
        await repo.count_edit(connection, user.id)
        if created:
            # An existing page needs no create protection any more.
            await repo.delete_title_protection(connection, title.namespace, title.dbkey)
        watched = await apply_watch(connection, user, title, request.watchlist, now)
    return EditOutcome(title, page_id, latest.id if latest else 0, revision, created, watched)


async def revision_exists(services: "Services", rev_id: int) -> bool:
    async with services.engine.connect() as connection:
        return await REPOSITORY.revision(connection, rev_id) is not None


async def resolve_title(services: "Services", title_text: str | None, page_id: int | None) -> titles.Title:
    """The title named by a `title` or a `pageid` parameter (exactly one is given)."""
    if title_text is not None:
        try:
            title = titles.parse_title(title_text, services.namespaces)
        except titles.InvalidTitle:
            raise PageError("apierror-invalidtitle", title_text) from None
        if not title.can_exist:
            raise PageError("apierror-pagecannotexist")
        return title
    async with services.engine.connect() as connection:
        record = await REPOSITORY.page_by_id(connection, page_id or 0)
    if record is None:
        raise PageError("apierror-nosuchpageid", page_id)
    return services.namespaces.title(record.namespace, record.title)
