"""User accounts and group memberships.

The reads on every request's path (an account, with its groups) are the
`find_*` functions, one portable SQL statement each through
`Database.query_one`/`query_all`; everything else is a function over a `Tx`
that a service puts into a unit of work, so that an
account and what belongs with it (its groups, its log entry, its voided bot
passwords) are written together or not at all. This module is the only
writer of `user` and `user_groups`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, true, update

from wikigate.store.database import Database, Row, Tx, inserted_id
from wikigate.store.schema import blocks, user, user_groups, user_newtalk, user_properties

_COLUMNS = ("id", "name", "real_name", "password", "newpassword", "newpass_time", "email",
            "email_authenticated", "token", "registration", "editcount", "touched", "locked", "hidden_level")


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    name: str
    real_name: str
    password: str
    newpassword: str
    newpass_time: float | None
    email: str
    email_authenticated: float | None
    token: str
    registration: float | None
    editcount: int
    touched: float
    # An account lock and name hiding, as CentralAuth keeps them (gu_locked, gu_hidden_level).
    locked: bool = False
    hidden_level: int = 0


@dataclass(frozen=True, slots=True)
class HiddenNames:
    """Which hidden names a reader may see: those hidden by the account's status (CentralAuth's
    centralauth-suppress) and those hidden by a block (core's hideuser)."""

    by_status: bool = True
    by_block: bool = True

    def conditions(self, now: float) -> list[Any]:
        found: list[Any] = []
        if not self.by_status:
            found.append(user.c.hidden_level == 0)
        if not self.by_block:
            found.append(user.c.id.not_in(select(blocks.c.user_id).where(
                blocks.c.hidden == true(), blocks.c.user_id != 0,
                or_(blocks.c.expiry.is_(None), blocks.c.expiry > now))))
        return found


EVERY_NAME = HiddenNames()


@dataclass(frozen=True, slots=True)
class GroupMembership:
    group: str
    expiry: float | None  # None: never


def _record(values: Iterable[Any]) -> UserRecord:
    record = UserRecord(*values)
    # SQLite hands booleans back as integers.
    return record if type(record.locked) is bool else replace(record, locked=bool(record.locked))


_SELECT_USER = "SELECT " + ", ".join(f'"user".{name}' for name in _COLUMNS) + ' FROM "user"'
_WITH_GROUPS_SQL = (
    _SELECT_USER.replace(' FROM "user"', ', user_groups."group", user_groups.expiry FROM "user"')
    + ' LEFT OUTER JOIN user_groups ON user_groups.user_id = "user".id WHERE "user".id = :user_id')
# A login's lookup also counts the account's unexpired autoblocking blocks: a blocked account that
# logs in autoblocks the address it came from, and the count costs no extra statement.
_LOGIN_SQL = _WITH_GROUPS_SQL.replace('"user".id = :user_id', '"user".name = :name').replace(
    ' FROM "user"', ', (SELECT COUNT(*) FROM blocks WHERE blocks.user_id = "user".id AND blocks.autoblock '
    'AND (blocks.expiry IS NULL OR blocks.expiry > :now)) FROM "user"', 1)
_WITH_BOT_PASSWORD_SQL = _WITH_GROUPS_SQL.replace(
    ' FROM "user"', ', bot_passwords.password, bot_passwords.grants, bot_passwords.restrictions FROM "user" '
    'LEFT OUTER JOIN bot_passwords ON bot_passwords.user_id = "user".id AND bot_passwords.app_id = :app_id')
_BY_ID_SQL = _SELECT_USER + ' WHERE "user".id = :user_id'
_BY_NAME_SQL = _SELECT_USER + ' WHERE "user".name = :name'
_WIDTH = len(_COLUMNS)

# Built once: constructing a statement costs more than running it.
_BY_NAME = select(*(user.c[name] for name in _COLUMNS)).where(user.c.name == bindparam("name"))
_BY_ID = select(*(user.c[name] for name in _COLUMNS)).where(user.c.id == bindparam("user_id"))
_MEMBERSHIPS = select(user_groups.c.group, user_groups.c.expiry).where(user_groups.c.user_id == bindparam("user_id"))


def _with_groups(rows: list[Row]) -> tuple[UserRecord, list[GroupMembership]] | None:
    if not rows:
        return None
    groups = [GroupMembership(row[_WIDTH], row[_WIDTH + 1]) for row in rows if row[_WIDTH] is not None]
    return _record(rows[0][:_WIDTH]), groups


async def find_by_id(database: Database, user_id: int) -> UserRecord | None:
    row = await database.query_one(_BY_ID_SQL, {"user_id": user_id})
    return None if row is None else _record(row)


async def find_by_name(database: Database, name: str) -> UserRecord | None:
    row = await database.query_one(_BY_NAME_SQL, {"name": name})
    return None if row is None else _record(row)


async def find_with_groups(database: Database, user_id: int) -> tuple[UserRecord, list[GroupMembership]] | None:
    """The account and its stored groups in one statement (the per-request lookup)."""
    return _with_groups(await database.query_all(_WITH_GROUPS_SQL, {"user_id": user_id}))


@dataclass(frozen=True, slots=True)
class BotPasswordState:
    """A bot password as a session made with it must find it again (None fields: it is gone)."""

    password: str
    grants: tuple[str, ...]
    restrictions: tuple[str, ...]


async def find_with_bot_password(database: Database, user_id: int, app_id: str
                                 ) -> tuple[UserRecord, list[GroupMembership], BotPasswordState | None] | None:
    """The account, its groups and one of its bot passwords, in one statement (a bot session's lookup)."""
    rows = await database.query_all(_WITH_BOT_PASSWORD_SQL, {"user_id": user_id, "app_id": app_id})
    found = _with_groups([row[:_WIDTH + 2] for row in rows])
    if found is None:
        return None
    password, grants, restrictions = rows[0][_WIDTH + 2:]
    bot = None if password is None else BotPasswordState(password, _json_list(grants), _json_list(restrictions))
    return found[0], found[1], bot


def _json_list(value: Any) -> tuple[str, ...]:
    # The drivers hand JSON columns back as text when read with plain SQL.
    return tuple(json.loads(value) if isinstance(value, str) else value)


async def find_for_login(database: Database, name: str,
                         now: float) -> tuple[UserRecord, list[GroupMembership], bool] | None:
    """The account by canonical name with its groups, and whether a block of it autoblocks, in
    one statement (a login's one lookup)."""
    rows = await database.query_all(_LOGIN_SQL, {"name": name, "now": now})
    found = _with_groups([row[:_WIDTH + 2] for row in rows])
    return None if found is None else (found[0], found[1], bool(rows[0][_WIDTH + 2]))


# -- units of work ----------------------------------------------------------------


def by_name(tx: Tx, name: str) -> UserRecord | None:
    row = tx.execute(_BY_NAME, {"name": name}).first()
    return None if row is None else _record(row)


def by_id(tx: Tx, user_id: int) -> UserRecord | None:
    row = tx.execute(_BY_ID, {"user_id": user_id}).first()
    return None if row is None else _record(row)


def insert(tx: Tx, *, name: str, password: str, email: str, real_name: str, token: str, now: float) -> UserRecord:
    record = UserRecord(id=0, name=name, real_name=real_name, password=password, newpassword="", newpass_time=None,
                        email=email, email_authenticated=None, token=token, registration=now, editcount=0,
                        touched=now)
    values = {name: getattr(record, name) for name in _COLUMNS if name != "id"}
    return replace(record, id=inserted_id(tx.execute(user.insert(), values)))


def update_user(tx: Tx, user_id: int, **values: Any) -> None:
    tx.execute(update(user).where(user.c.id == user_id).values(**values))


def set_temporary_password(tx: Tx, user_id: int, stored: str, *, now: float, not_since: float) -> bool:
    """Store a reset's temporary password unless one was stored after `not_since`.

    The condition is part of the update, so two resets racing for one account
    store (and mail) one temporary password, not two.
    """
    result = tx.execute(
        update(user).where(user.c.id == user_id)
        .where((user.c.newpass_time.is_(None)) | (user.c.newpass_time <= not_since))
        .values(newpassword=stored, newpass_time=now))
    return bool(result.rowcount)


def memberships(tx: Tx, user_id: int) -> list[GroupMembership]:
    return [GroupMembership(row.group, row.expiry) for row in tx.execute(_MEMBERSHIPS, {"user_id": user_id})]


def write_groups(tx: Tx, user_id: int, *, removed: Iterable[str], added: Mapping[str, float | None]) -> None:
    """Drop the removed groups and (re)write the added ones with their expiries."""
    gone = [*removed, *added]
    if gone:
        tx.execute(delete(user_groups).where(user_groups.c.user_id == user_id, user_groups.c.group.in_(gone)))
    if added:
        tx.execute(user_groups.insert(), [
            {"user_id": user_id, "group": group, "expiry": expiry} for group, expiry in added.items()])


def by_email(tx: Tx, email: str) -> list[UserRecord]:
    query = select(*(user.c[name] for name in _COLUMNS)).where(
        func.lower(user.c.email) == email.lower()).order_by(user.c.id)
    return [_record(row) for row in tx.execute(query)]


def listing(tx: Tx, *, limit: int, start: str = "") -> list[UserRecord]:
    query = (select(*(user.c[name] for name in _COLUMNS)).where(user.c.name >= start)
             .order_by(user.c.name).limit(limit))
    return [_record(row) for row in tx.execute(query)]


def with_memberships(tx: Tx, records: list[UserRecord], now: float) -> list[tuple[UserRecord, list[GroupMembership]]]:
    """Each user with their unexpired group memberships."""
    if not records:
        return []
    rows = tx.execute(select(user_groups).where(user_groups.c.user_id.in_([r.id for r in records]),
                                                or_(user_groups.c.expiry.is_(None), user_groups.c.expiry > now))
                      .order_by(user_groups.c.group))
    found: dict[int, list[GroupMembership]] = {}
    for row in rows:
        found.setdefault(row.user_id, []).append(GroupMembership(row.group, row.expiry))
    return [(record, found.get(record.id, [])) for record in records]


def lookup(tx: Tx, *, names: list[str], ids: list[int], shown: HiddenNames = EVERY_NAME,
           now: float = 0) -> list[UserRecord]:
    conditions: list[Any] = []
    if names:
        conditions.append(user.c.name.in_(names))
    if ids:
        conditions.append(user.c.id.in_(ids))
    if not conditions:
        return []
    query = select(*(user.c[name] for name in _COLUMNS)).where(or_(*conditions), *shown.conditions(now))
    return [_record(row) for row in tx.execute(query)]


def directory(tx: Tx, *, start: str | None, end: str | None, prefix: str | None, descending: bool,
              groups: list[str], exclude_groups: list[str], with_edits: bool, now: float,
              limit: int, shown: HiddenNames = EVERY_NAME) -> list[UserRecord]:
    """Accounts in name order (list=allusers), from `start` to `end` inclusive, hidden names as
    far as the reader may see them."""
    conditions: list[Any] = shown.conditions(now)
    if start is not None:
        conditions.append(user.c.name <= start if descending else user.c.name >= start)
    if end is not None:
        conditions.append(user.c.name >= end if descending else user.c.name <= end)
    if prefix is not None:
        conditions.append(func.substr(user.c.name, 1, len(prefix)) == prefix)
    active = or_(user_groups.c.expiry.is_(None), user_groups.c.expiry > now)
    if groups:
        conditions.append(user.c.id.in_(select(user_groups.c.user_id).where(user_groups.c.group.in_(groups), active)))
    if exclude_groups:
        conditions.append(user.c.id.not_in(
            select(user_groups.c.user_id).where(user_groups.c.group.in_(exclude_groups), active)))
    if with_edits:
        conditions.append(user.c.editcount > 0)
    order = user.c.name.desc() if descending else user.c.name.asc()
    query = select(*(user.c[name] for name in _COLUMNS)).where(*conditions).order_by(order).limit(limit)
    return [_record(row) for row in tx.execute(query)]


def options(tx: Tx, user_id: int) -> dict[str, str]:
    """The preferences the user set (their defaults are not stored)."""
    rows = tx.execute(select(user_properties.c.property, user_properties.c.value)
                      .where(user_properties.c.user_id == user_id))
    return {row.property: row.value for row in rows}


def set_options(tx: Tx, user_id: int, changes: Mapping[str, str | None], *, reset: Iterable[str] = ()) -> None:
    """Forget the `reset` preferences, then store the changes (None: back to the default)."""
    gone = [*reset, *changes]
    if gone:
        tx.execute(delete(user_properties).where(user_properties.c.user_id == user_id,
                                                 user_properties.c.property.in_(gone)))
    kept = [{"user_id": user_id, "property": name, "value": value}
            for name, value in changes.items() if value is not None]
    if kept:
        tx.execute(user_properties.insert(), kept)


def set_newtalk(tx: Tx, user_id: int, ip: str, now: float) -> None:
    """Note an unseen message for the account (or, with id 0, the IP address), unless one is noted."""
    key = (user_newtalk.c.user_id == user_id, user_newtalk.c.user_ip == ip)
    if tx.execute(select(user_newtalk.c.user_id).where(*key)).first() is None:
        tx.execute(user_newtalk.insert(), {"user_id": user_id, "user_ip": ip, "timestamp": now})


def clear_newtalk(tx: Tx, user_id: int, ip: str) -> None:
    tx.execute(delete(user_newtalk).where(user_newtalk.c.user_id == user_id, user_newtalk.c.user_ip == ip))


def has_newtalk(tx: Tx, user_id: int, ip: str) -> bool:
    return tx.execute(select(user_newtalk.c.user_id).where(
        user_newtalk.c.user_id == user_id, user_newtalk.c.user_ip == ip)).first() is not None


def delete_account(tx: Tx, user_id: int) -> None:
    """Erase an account: its row and everything that belongs to it alone (groups, preferences,
    watchlist, new-message flag; bot passwords and two-factor go by their foreign keys). What it
    did stays, under its name: revisions and log entries keep their own copy of it."""
    for table in (user_groups, user_properties, user_newtalk):
        tx.execute(delete(table).where(table.c.user_id == user_id))
    tx.execute(delete(user).where(user.c.id == user_id))


def suppressed_ids(tx: Tx, user_ids: Iterable[int], shown: HiddenNames, now: float) -> set[int]:
    """Which of the accounts have names the reader may not see in logs: suppressed with the
    account's status (level 2), or hidden by a block."""
    ids = list(user_ids)
    found: set[int] = set()
    if not shown.by_status:
        found.update(row.id for row in tx.execute(select(user.c.id).where(user.c.id.in_(ids),
                                                                         user.c.hidden_level >= 2)))
    if not shown.by_block:
        found.update(row.user_id for row in tx.execute(select(blocks.c.user_id).where(
            blocks.c.user_id.in_(ids), blocks.c.hidden == true(),
            or_(blocks.c.expiry.is_(None), blocks.c.expiry > now))))
    return found
