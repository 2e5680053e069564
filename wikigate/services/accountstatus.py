"""Locking, hiding and deleting accounts, as CentralAuth does it for a wiki family, here for one wiki.

A lock ends every session of the account at once (a new account token, and
the identity check refuses locked accounts on every request) and keeps it
from logging in by any route. Hiding takes the name out of the user lists
for those without `centralauth-suppress` (level 1, "lists") or also out of
the logs (level 2, "suppressed"). Deleting erases the account and its
credentials; the page history keeps the name it saved under.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from wikigate import titles, usernames
from wikigate.randomness import Randomness
from wikigate.services.pages import PageError
from wikigate.services.permissions import Denial
from wikigate.services.users import User
from wikigate.store import blocks as block_store
from wikigate.store import logs
from wikigate.store import users as store
from wikigate.store.database import Database, Tx
from wikigate.store.users import UserRecord

HIDDEN_LEVELS = ("", "lists", "suppressed")
# CentralAuth will not hide names with more edits than this.
HIDE_EDIT_LIMIT = 1000
# The words the status log uses for what changed.
_STATUS_WORDS = {1: "hidden", 2: "oversighted"}


@dataclass(frozen=True, slots=True)
class AccountStatus:
    name: str
    locked: bool
    hidden: str  # "", "lists" or "suppressed"


def state_hash(record: UserRecord) -> str:
    """What `statecheck` must match: the MD5 of id:name:hidden:locked, as CentralAuth's API computes it."""
    text = f"{record.id}:{record.name}:{HIDDEN_LEVELS[record.hidden_level]}:{1 if record.locked else 0}"
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def can_see(viewer: User, record: UserRecord, *, level: int = 1) -> bool:
    """Whether the viewer may see an account hidden at `level` or above."""
    return record.hidden_level < level or viewer.has_right("centralauth-suppress")


class AccountStatuses:
    def __init__(self, database: Database, namespaces: titles.Namespaces, random: Randomness) -> None:
        self._database = database
        self._namespaces = namespaces
        self._random = random

    async def set_status(self, performer: User, name: str, *, locked: bool | None, hidden: int | None, reason: str,
                         statecheck: str | None, now: float) -> AccountStatus:
        return await self._database.write(
            lambda tx: self._set_status(tx, performer, name, locked, hidden, reason, statecheck, now))

    def _find(self, tx: Tx, performer: User, name: str) -> UserRecord:
        record = store.by_name(tx, usernames.canonical_name(name, self._namespaces) or name)
        if record is None or not can_see(performer, record, level=2):
            raise PageError("nosuchusershort", name)
        return record

    def _set_status(self, tx: Tx, performer: User, name: str, locked: bool | None, hidden: int | None,
                    reason: str, statecheck: str | None, now: float) -> AccountStatus:
        record = self._find(tx, performer, name)
        if statecheck and statecheck != state_hash(record):
            raise PageError([Denial("apierror-centralauth-editconflict", code="editconflict")])
        level = record.hidden_level if hidden is None else hidden
        if level != record.hidden_level and not performer.has_right("centralauth-suppress"):
            raise PageError("centralauth-admin-not-authorized")
        if level and not record.hidden_level and record.editcount > HIDE_EDIT_LIMIT:
            raise PageError("centralauth-admin-too-many-edits", record.name, HIDE_EDIT_LIMIT)
        added: list[str] = []
        removed: list[str] = []
        changes: dict[str, object] = {}
        if locked is not None and locked != record.locked:
            (added if locked else removed).append("locked")
            changes["locked"] = locked
            if locked:
                # A new token ends every session and remember-me cookie of the account.
                changes["token"] = self._random.token_hex(16)
        if level != record.hidden_level:
            if record.hidden_level:
                removed.append(_STATUS_WORDS[record.hidden_level])
            if level:
                added.append(_STATUS_WORDS[level])
            changes["hidden_level"] = level
        if changes:
            store.update_user(tx, record.id, **changes)
            # A hidden account's status changes go to the suppression log, as CentralAuth files them.
            logs.add_log(tx, type="suppress" if level else "globalauth", action="setstatus", now=now,
                         user_id=performer.id, user_text=performer.name, namespace=titles.NS.USER,
                         title=f"{record.name}@global".replace(" ", "_"), page_id=0, comment=reason,
                         params={"added": added, "removed": removed}, recent=not level)
        return AccountStatus(record.name, bool(changes.get("locked", record.locked)), HIDDEN_LEVELS[level])

    async def delete(self, performer: User, name: str, *, reason: str, now: float) -> str:
        return await self._database.write(lambda tx: self._delete(tx, performer, name, reason, now))

    def _delete(self, tx: Tx, performer: User, name: str, reason: str, now: float) -> str:
        record = self._find(tx, performer, name)
        for block in block_store.blocks_of_target(tx, record.name, now):
            block_store.delete_block(tx, block.id)
        store.delete_account(tx, record.id)
        suppressed = record.hidden_level == 2
        logs.add_log(tx, type="suppress" if suppressed else "globalauth",
                     action="cadelete" if suppressed else "delete", now=now, user_id=performer.id,
                     user_text=performer.name, namespace=titles.NS.USER,
                     title=f"{record.name}@global".replace(" ", "_"), page_id=0, comment=reason, params={},
                     recent=not suppressed)
        return record.name
