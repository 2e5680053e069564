"""Changing a page's protection (MediaWiki's doUpdateRestrictions), in one transaction.

A protect request replaces every applicable restriction of the title: types
it does not name become unprotected. On an existing page the change adds a
null revision (same text, minor, a comment describing the change) and the
restrictions go to page_restrictions; on a missing title only `create` (and
`upload` for files) applies, kept in protected_titles. Each change writes a
protect/protect, protect/modify or protect/unprotect log entry. A request
that changes nothing writes nothing but its watchlist change. The checks and
the writes run together in one synchronous transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from wikigate import timeutil, titles
from wikigate.config import Settings
from wikigate.messages import Message, render
from wikigate.services.blocking import active_block
from wikigate.services.pages import (
    PageError,
    PageSnapshot,
    apply_watch,
    load_snapshot,
)
from wikigate.services.permissions import (
    PageState,
    applicable_types,
    level_right,
    permission_errors,
    usable_levels,
)
from wikigate.services.users import User
from wikigate.store import logs
from wikigate.store import pages as store
from wikigate.store.database import Database, Tx
from wikigate.store.pages import Restriction, TitleProtection

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_LRM = "\u200e"  # keeps each bracketed item left-to-right in right-to-left interfaces


@dataclass(frozen=True, slots=True)
class Protection:
    """One requested protection: level '' lifts the type's protection."""

    type: str
    level: str
    expiry: float | None  # None: infinite
    level_given: bool = True  # False for a bare `edit` (no `=level`), which means ''


@dataclass(frozen=True, slots=True)
class ProtectOutcome:
    title: titles.Title
    protections: tuple[Protection, ...]
    cascade: bool
    log_id: int | None  # None: nothing changed


def parse_protections(values: list[str], expiries: list[str], state: PageState, user: User,
                      settings: Settings, now: float) -> list[Protection]:
    """Check `type=level` items and their expiries in request order; the first problem stops it."""
    if len(expiries) != len(values):
        if len(expiries) != 1:
            raise PageError("toofewexpiries", len(expiries), len(values))
        expiries = expiries * len(values)
    types = applicable_types(state.title, state.exists, settings)
    levels = usable_levels(user, settings)
    result = []
    for value, raw_expiry in zip(values, expiries):
        kind, equals, level = value.partition("=")
        if state.exists and kind == "create":
            raise PageError("create-titleexists")
        if not state.exists and kind != "create":
            raise PageError("missingtitle-createonly")
        if kind not in types and kind != "create":
            raise PageError("protect-invalidaction", kind)
        if level not in levels and level != "all":
            raise PageError("protect-invalidlevel", level)
        result.append(Protection(kind, "" if level == "all" else level, _expiry(raw_expiry, now),
                                 level_given=bool(equals)))
    return result


def _expiry(raw: str, now: float) -> float | None:
    try:
        expiry = timeutil.parse_expiry(raw, now=now)
    except timeutil.InvalidExpiry:
        raise PageError("invalidexpiry", raw) from None
    if timeutil.is_past(expiry, now):
        raise PageError("pastexpiry", raw)
    return expiry


def _same_second(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.floor(a) == math.floor(b)


class Protections:
    """Changing the protection of pages and titles."""

    def __init__(self, database: Database, settings: Settings, namespaces: titles.Namespaces) -> None:
        self._database = database
        self._settings = settings
        self._namespaces = namespaces

    async def protect(self, user: User, title: titles.Title, values: list[str], expiries: list[str], *,
                      cascade: bool, reason: str, watchlist: str, watchlist_expiry: float | None,
                      now: float) -> ProtectOutcome:
        def work(tx: Tx) -> ProtectOutcome:
            return _protect(tx, self._settings, self._namespaces, user, title, values, expiries, cascade=cascade,
                            reason=reason, watchlist=watchlist, watchlist_expiry=watchlist_expiry, now=now)

        return await self._database.write(work)


def _protect(tx: Tx, settings: Settings, namespaces: titles.Namespaces, user: User, title: titles.Title,
             values: list[str], expiries: list[str], *, cascade: bool, reason: str, watchlist: str,
             watchlist_expiry: float | None, now: float) -> ProtectOutcome:
    store.lock_title(tx, title.namespace, title.dbkey)
    snapshot = load_snapshot(tx, namespaces, title, now)
    state = snapshot.state
    denials = permission_errors("protect", user, state, settings, block=active_block(tx, user, now))
    if denials:
        raise PageError(denials)
    requested = parse_protections(values, expiries, state, user, settings, now)
    apply_watch(tx, user, title, watchlist, now, expiry=watchlist_expiry)
    wanted = {item.type: item for item in requested}
    limits = {kind: wanted.get(kind, Protection(kind, "", None))
              for kind in applicable_types(title, state.exists, settings)}
    current = _current(state)
    if not _changed(limits, current, cascade, state):
        return ProtectOutcome(title, tuple(requested), cascade, None)
    was_protected = any(item.level for item in current.values())
    if state.exists:
        edit_level = limits["edit"].level if "edit" in limits else ""
        cascading_rights = {level_right(level) for level in settings.cascading_restriction_levels}
        cascade = cascade and level_right(edit_level) in cascading_rights
    else:
        cascade = False
    action = ("unprotect" if not any(item.level for item in limits.values())
              else "modify" if was_protected else "protect")
    log_id = _save(tx, user, snapshot, limits, cascade, reason, action, now)
    return ProtectOutcome(title, tuple(requested), cascade, log_id)


def _current(state: PageState) -> dict[str, Protection]:
    if not state.exists:
        found = state.title_protection
        return {"create": Protection("create", found.level, found.expiry)} if found else {}
    return {r.type: Protection(r.type, r.level, r.expiry) for r in state.restrictions}


def _changed(limits: dict[str, Protection], current: dict[str, Protection], cascade: bool,
             state: PageState) -> bool:
    for kind, item in limits.items():
        now_set = current.get(kind)
        level = now_set.level if now_set else ""
        if item.level != level:
            return True
        if item.level and now_set and not _same_second(item.expiry, now_set.expiry):
            return True
    protecting = any(item.level for item in limits.values())
    return protecting and state.cascading != cascade


def _save(tx: Tx, user: User, snapshot: PageSnapshot, limits: dict[str, Protection],
          cascade: bool, reason: str, action: str, now: float) -> int:
    state = snapshot.state
    title = state.title
    active = [item for item in limits.values() if item.level]
    details: list[dict[str, Any]] = []
    null_revision = 0
    if state.page is not None:
        latest = snapshot.latest
        assert latest is not None
        null_revision = store.add_revision(
            tx, page_id=state.page.id, parent_id=latest.id, text=latest.text,
            comment=_null_revision_comment(title, action, active, cascade, reason), user_id=user.id,
            user_text=user.name, now=now, minor=True, is_new=False, is_redirect=state.page.is_redirect).id
        rows = [Restriction(state.page.id, item.type, item.level, cascade and item.type == "edit", item.expiry)
                for item in active]
        store.replace_restrictions(tx, state.page.id, rows)
        details = [{"type": r.type, "level": r.level, "expiry": r.expiry, "cascade": r.cascade} for r in rows]
    else:
        create = limits.get("create")
        if create is not None and create.level:
            store.set_title_protection(tx, TitleProtection(
                title.namespace, title.dbkey, user.id, user.name, reason, now, create.expiry, create.level))
            details = [{"type": "create", "level": create.level, "expiry": create.expiry}]
        else:
            store.delete_title_protection(tx, title.namespace, title.dbkey)
    params: dict[str, Any] = {}
    if action != "unprotect":
        params = {"description": describe(active), "cascade": cascade, "details": details}
    return logs.add_log(
        tx, type="protect", action=action, now=now, user_id=user.id, user_text=user.name,
        namespace=title.namespace, title=title.dbkey, page_id=state.page.id if state.page else 0,
        comment=reason, params=params, bot=user.has_right("bot"), rev_id=null_revision)


def _expiry_text(expiry: float | None) -> str:
    if expiry is None:
        return "(indefinite)"
    moment = timeutil.to_mw(expiry)
    day, month, year = int(moment[6:8]), _MONTHS[int(moment[4:6]) - 1], moment[:4]
    return f"(expires {moment[8:10]}:{moment[10:12]}, {day} {month} {year} (UTC))"


def describe(protections: list[Protection]) -> str:
    """The log's one-line summary: "[edit=sysop] (indefinite)" per protected type."""
    return "".join(f"{_LRM}[{p.type}={p.level}] {_expiry_text(p.expiry)}" for p in protections)


def _null_revision_comment(title: titles.Title, action: str, active: list[Protection], cascade: bool,
                           reason: str) -> str:
    key = {"protect": "protect-comment-protected", "modify": "protect-comment-modified",
           "unprotect": "protect-comment-unprotected"}[action]
    comment = render(Message(key, (title.prefixed_text,)), "wikitext")
    if reason:
        comment += render(Message("colon-separator"), "wikitext") + reason
    if active:
        comment += f" ({' '.join(f'[{p.type}={p.level}] {_expiry_text(p.expiry)}' for p in active)})"
    if cascade:
        comment += " " + render(Message("protect-comment-cascade"), "wikitext")
    return comment
