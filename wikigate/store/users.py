"""User accounts and group memberships."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from wikigate.store.db import read_all, read_first
from wikigate.store.schema import user, user_groups
from wikigate.store.sqlite_direct import DirectSqlite


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


@dataclass(frozen=True, slots=True)
class GroupMembership:
    group: str
    expiry: float | None  # None: never


def _record(row: Row | sqlite3.Row) -> UserRecord:
    mapping = row if isinstance(row, sqlite3.Row) else row._mapping
    return UserRecord(**{name: mapping[name] for name in UserRecord.__slots__})


_WITH_GROUPS_SQL = (
    'SELECT "user".*, user_groups."group" AS "group", user_groups.expiry AS group_expiry FROM "user" '
    'LEFT OUTER JOIN user_groups ON user_groups.user_id = "user".id WHERE "user".id = ?'
)


# Built once: constructing a statement costs more than running it.
_WITH_GROUPS = (
    select(user, user_groups.c.group, user_groups.c.expiry)
    .select_from(user.outerjoin(user_groups, user_groups.c.user_id == user.c.id))
    .where(user.c.id == bindparam("user_id"))
)


_BY_ID = select(user).where(user.c.id == bindparam("user_id"))
_BY_NAME = select(user).where(user.c.name == bindparam("name"))


class UserRepository:
    def __init__(self, engine: AsyncEngine, direct: DirectSqlite | None = None) -> None:
        self._engine = engine
        # SQLite only: the per-request lookup goes straight to the database file.
        self._direct = direct

    async def by_id(self, user_id: int) -> UserRecord | None:
        if self._direct is not None:
            found = self._direct.read_one('SELECT * FROM "user" WHERE id = ?', (user_id,))
            return None if found is None else _record(found)
        row = await read_first(self._engine, None, _BY_ID.params(user_id=user_id))
        return None if row is None else _record(row)

    async def by_name(self, name: str) -> UserRecord | None:
        if self._direct is not None:
            found = self._direct.read_one('SELECT * FROM "user" WHERE name = ?', (name,))
            return None if found is None else _record(found)
        row = await read_first(self._engine, None, _BY_NAME.params(name=name))
        return None if row is None else _record(row)

    async def by_email(self, email: str) -> list[UserRecord]:
        query = select(user).where(func.lower(user.c.email) == email.lower()).order_by(user.c.id)
        return [_record(row) for row in await read_all(self._engine, self._direct, query)]

    async def with_groups(self, user_id: int) -> tuple[UserRecord, list[GroupMembership]] | None:
        """The account and its stored groups in one round trip (the per-request lookup)."""
        if self._direct is not None:
            found = self._direct.read_all(_WITH_GROUPS_SQL, (user_id,))
            if not found:
                return None
            memberships = [GroupMembership(row["group"], row["group_expiry"]) for row in found
                           if row["group"] is not None]
            return _record(found[0]), memberships
        rows = await read_all(self._engine, None, _WITH_GROUPS.params(user_id=user_id))
        if not rows:
            return None
        groups = [GroupMembership(row.group, row.expiry) for row in rows if row.group is not None]
        return _record(rows[0]), groups

    async def create(
        self, connection: AsyncConnection, *, name: str, password: str, email: str = "",
        real_name: str = "", now: float,
    ) -> int:
        result = await connection.execute(
            user.insert().values(
                name=name, password=password, email=email, real_name=real_name,
                newpassword="", token=secrets.token_hex(16), registration=now,
                editcount=0, touched=now,
            )
        )
        return int(result.inserted_primary_key[0])

    async def update(self, user_id: int, connection: AsyncConnection | None = None, **values: object) -> None:
        statement = update(user).where(user.c.id == user_id).values(**values)
        if connection is not None:
            await connection.execute(statement)
            return
        async with self._engine.begin() as own:
            await own.execute(statement)

    async def groups(self, user_id: int) -> list[GroupMembership]:
        if self._direct is not None:
            rows = self._direct.read_all('SELECT "group", expiry FROM user_groups WHERE user_id = ?', (user_id,))
            return [GroupMembership(row["group"], row["expiry"]) for row in rows]
        query = select(user_groups.c.group, user_groups.c.expiry).where(user_groups.c.user_id == user_id)
        return [GroupMembership(row.group, row.expiry) for row in await read_all(self._engine, None, query)]

    async def set_group(self, connection: AsyncConnection, user_id: int, group: str, expiry: float | None) -> None:
        await connection.execute(
            delete(user_groups).where(user_groups.c.user_id == user_id, user_groups.c.group == group)
        )
        await connection.execute(user_groups.insert().values(user_id=user_id, group=group, expiry=expiry))

    async def remove_group(self, connection: AsyncConnection, user_id: int, group: str) -> None:
        await connection.execute(
            delete(user_groups).where(user_groups.c.user_id == user_id, user_groups.c.group == group)
        )

    async def list(self, *, limit: int = 500, start: str = "") -> list[UserRecord]:
        query = select(user).where(user.c.name >= start).order_by(user.c.name).limit(limit)
        async with self._engine.connect() as connection:
            return [_record(row) for row in await connection.execute(query)]

    async def count(self) -> int:
        async with self._engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(user))).scalar_one())
