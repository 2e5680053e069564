"""Accounts: creating them, finding them, and changing their passwords and groups.

Shared by the API, the authentication flows and the CLI, so that each of
these changes has one implementation. Each change is one unit of work: the
account row, its groups, its log entry and its voided bot passwords are
written together or not at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from wikigate import usernames
from wikigate.auth.hashing import PasswordFactory
from wikigate.clock import Clock
from wikigate.randomness import Randomness
from wikigate.services.users import User
from wikigate.store import botpasswords, logs, users
from wikigate.store.database import Database, Tx
from wikigate.store.users import EVERY_NAME, GroupMembership, HiddenNames, UserRecord
from wikigate.titles import NS, Namespaces

# How the log names changes made from the command line, as MediaWiki's maintenance scripts.
MAINTENANCE_USER = "Maintenance script"


class AccountError(ValueError):
    """A request about an account that cannot be carried out; `code` is MediaWiki's message key."""

    def __init__(self, code: str, *params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change, as the log records it (id 0: anonymous or the command line)."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class GroupChange:
    added: list[str]
    removed: list[str]


class Accounts:
    def __init__(self, database: Database, hasher: PasswordFactory, clock: Clock, random: Randomness,
                 namespaces: Namespaces) -> None:
        self._database = database
        self._hasher = hasher
        self._clock = clock
        self._random = random
        self._namespaces = namespaces

    async def hash(self, password: str) -> str:
        # Key stretching is deliberately slow: keep it off the event loop.
        return await asyncio.to_thread(self._hasher.hash, password)

    async def by_id(self, user_id: int) -> UserRecord | None:
        return await users.find_by_id(self._database, user_id)

    async def find(self, name: str) -> UserRecord | None:
        """The account a typed name means, whatever its spelling, or None."""
        canonical = usernames.canonical_name(name, self._namespaces, rigor="usable")
        return await users.find_by_name(self._database, canonical) if canonical else None

    async def require(self, name: str) -> UserRecord:
        record = await self.find(name)
        if record is None:
            raise AccountError("nosuchuser", name)
        return record

    async def by_email(self, email: str) -> list[UserRecord]:
        return await self._database.read(lambda tx: users.by_email(tx, email))

    async def listing(self, *, limit: int = 500) -> list[UserRecord]:
        return await self._database.read(lambda tx: users.listing(tx, limit=limit))

    async def directory(self, *, start: str | None, end: str | None, prefix: str | None, descending: bool,
                        groups: list[str], exclude_groups: list[str], with_edits: bool, now: float,
                        limit: int, shown: HiddenNames) -> list[tuple[UserRecord, list[GroupMembership]]]:
        """Accounts in name order with their groups (list=allusers), hidden names as far as
        the reader may see them."""
        def read(tx: Tx) -> list[tuple[UserRecord, list[GroupMembership]]]:
            found = users.directory(tx, start=start, end=end, prefix=prefix, descending=descending, groups=groups,
                                    exclude_groups=exclude_groups, with_edits=with_edits, now=now, limit=limit,
                                    shown=shown)
            return users.with_memberships(tx, found, now)

        return await self._database.read(read)

    async def lookup(self, *, names: list[str], ids: list[int], now: float,
                     shown: HiddenNames = EVERY_NAME) -> list[tuple[UserRecord, list[GroupMembership]]]:
        """The accounts among the names and ids given, with their groups (list=users)."""
        return await self._database.read(lambda tx: users.with_memberships(
            tx, users.lookup(tx, names=names, ids=ids, shown=shown, now=now), now))

    @staticmethod
    def hidden_names_for(reader: User) -> HiddenNames:
        """Which hidden names the reader may see."""
        return HiddenNames(by_status=reader.has_right("centralauth-suppress"), by_block=reader.has_right("hideuser"))

    async def options(self, user_id: int) -> dict[str, str]:
        """The preferences the user changed from the defaults."""
        return await self._database.read(lambda tx: users.options(tx, user_id))

    async def change_options(self, user_id: int, changes: Mapping[str, str | None], *,
                             reset: Sequence[str] = ()) -> None:
        """Forget the preferences named in `reset`, then set the changes, in one transaction."""
        await self._database.write(lambda tx: users.set_options(tx, user_id, changes, reset=reset))

    async def memberships(self, user_id: int) -> list[GroupMembership]:
        return await self._database.read(lambda tx: users.memberships(tx, user_id))

    async def create(self, name: str, password: str | None, *, email: str = "", real_name: str = "",
                     groups: Sequence[str] = (), creator: Actor | None = None, reason: str = "") -> UserRecord:
        """A new account; with a `creator` (the API) its `newusers` log entry is written with it.

        Raises AccountError `noname` or `userexists`.
        """
        canonical = usernames.canonical_name(name, self._namespaces, rigor="creatable")
        if canonical is None:
            raise AccountError("noname", name)
        stored = await self.hash(password) if password else ""
        now = self._clock.seconds()
        token = self._random.token_hex(16)

        def create(tx: Tx) -> UserRecord:
            if users.by_name(tx, canonical) is not None:
                raise AccountError("userexists", canonical)
            record = users.insert(tx, name=canonical, password=stored, email=email, real_name=real_name,
                                  token=token, now=now)
            users.write_groups(tx, record.id, removed=(), added=dict.fromkeys(groups))
            if creator is not None:
                by_self = creator.id == 0
                logs.add_log(tx, type="newusers", action="create" if by_self else "create2", now=now,
                             user_id=record.id if by_self else creator.id,
                             user_text=record.name if by_self else creator.name, namespace=NS.USER,
                             title=record.name.replace(" ", "_"), page_id=None, comment=reason,
                             params={"4::userid": record.id})
            return record

        return await self._database.write(create)

    async def change_password(self, record: UserRecord, password: str) -> str:
        """Set a new main password; returns the account's new token.

        As in MediaWiki, a pending temporary password is dropped, the bot
        passwords are voided (they were granted under the old credentials),
        and every session of the account ends except the one that keeps the
        returned token (`Session.set("user_token", ...)`).
        """
        stored = await self.hash(password)
        token = self._random.token_hex(16)
        now = self._clock.seconds()

        def change(tx: Tx) -> None:
            users.update_user(tx, record.id, password=stored, newpassword="", newpass_time=None, token=token,
                              touched=now)
            botpasswords.void_all(tx, record.id)

        await self._database.write(change)
        return token

    async def remove_temporary_password(self, record: UserRecord) -> None:
        """Forget a pending temporary password; the main password is untouched."""
        now = self._clock.seconds()

        def remove(tx: Tx) -> None:
            users.update_user(tx, record.id, newpassword="", newpass_time=None, touched=now)
            botpasswords.void_all(tx, record.id)

        await self._database.write(remove)

    async def store_temporary_password(self, record: UserRecord, stored: str, *, now: float,
                                       resend_after: float) -> bool:
        """Keep a reset's hashed temporary password, unless another reset came first."""
        return await self._database.write(
            lambda tx: users.set_temporary_password(tx, record.id, stored, now=now, not_since=now - resend_after))

    async def upgrade_hash(self, record: UserRecord, password: str) -> None:
        """Store the password again under the preferred hash type (after a login proved it)."""
        stored = await self.hash(password)
        await self._database.write(lambda tx: users.update_user(tx, record.id, password=stored))

    async def change_groups(self, target: UserRecord, performer: Actor | None, *,
                            add: Mapping[str, float | None], remove: Sequence[str],
                            addable: Collection[str], removable: Collection[str], reason: str = "",
                            now: float) -> GroupChange:
        """Add and remove groups as far as `addable` and `removable` allow, and log the change.

        The current groups are read in the same unit as the change, so two
        changes of one account never work from the same stale list.
        """
        actor = performer or Actor(0, MAINTENANCE_USER)

        def change(tx: Tx) -> GroupChange:
            old = {m.group: m.expiry for m in users.memberships(tx, target.id)
                   if m.expiry is None or m.expiry > now}
            removed = [g for g in dict.fromkeys(remove) if g in removable and g in old]
            added = [g for g in add if g in addable and _adds_something(g, add[g], old, removable)]
            new = {g: e for g, e in old.items() if g not in removed}
            new.update({g: add[g] for g in added})
            if new == old:
                return GroupChange(added, removed)
            users.write_groups(tx, target.id, removed=removed, added={g: add[g] for g in added})
            logs.add_log(tx, type="rights", action="rights", now=now, user_id=actor.id, user_text=actor.name,
                         namespace=NS.USER, title=target.name.replace(" ", "_"), page_id=0, comment=reason,
                         params={"oldgroups": sorted(old), "newgroups": sorted(new),
                                 "oldmetadata": _metadata(old), "newmetadata": _metadata(new)})
            return GroupChange(added, removed)

        return await self._database.write(change)


def _metadata(memberships: dict[str, float | None]) -> list[dict[str, object]]:
    return [{"group": g, "expiry": memberships[g]} for g in sorted(memberships)]


def _adds_something(group: str, expiry: float | None, old: dict[str, float | None], removable: Collection[str]) -> bool:
    """A new group, or a new expiry for a held one (shortening one needs the right to remove it)."""
    if group not in old:
        return True
    current = old[group]
    if current == expiry:
        return False
    shortens = current is None or (expiry is not None and expiry < current)
    return not shortens or group in removable
