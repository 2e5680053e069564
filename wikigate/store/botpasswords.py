"""Bot passwords: per-application passwords of an account, with grants and IP limits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from wikigate.store.db import read_first
from wikigate.store.schema import bot_passwords
from wikigate.store.sqlite_direct import DirectSqlite


@dataclass(frozen=True, slots=True)
class BotPasswordRecord:
    user_id: int
    app_id: str
    password: str  # a hash; empty once voided by a change of the account's credentials
    grants: tuple[str, ...]
    restrictions: tuple[str, ...]  # CIDR ranges allowed to log in; empty: anywhere
    created: float


def _record(row: Row) -> BotPasswordRecord:
    return BotPasswordRecord(user_id=row.user_id, app_id=row.app_id, password=row.password,
                             grants=tuple(row.grants), restrictions=tuple(row.restrictions),
                             created=row.created)


class BotPasswordRepository:
    def __init__(self, engine: AsyncEngine, direct: DirectSqlite | None = None) -> None:
        self._engine = engine
        self._direct = direct

    async def get(self, user_id: int, app_id: str) -> BotPasswordRecord | None:
        query = select(bot_passwords).where(bot_passwords.c.user_id == user_id,
                                            bot_passwords.c.app_id == app_id)
        row = await read_first(self._engine, self._direct, query)
        return None if row is None else _record(row)

    async def for_user(self, user_id: int) -> list[BotPasswordRecord]:
        query = select(bot_passwords).where(bot_passwords.c.user_id == user_id).order_by(bot_passwords.c.app_id)
        async with self._engine.connect() as connection:
            return [_record(row) for row in await connection.execute(query)]

    async def create(self, record: BotPasswordRecord) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(bot_passwords.insert().values(
                user_id=record.user_id, app_id=record.app_id, password=record.password,
                grants=list(record.grants), restrictions=list(record.restrictions), created=record.created,
            ))

    async def delete(self, user_id: int, app_id: str) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(delete(bot_passwords).where(
                bot_passwords.c.user_id == user_id, bot_passwords.c.app_id == app_id))
        return bool(result.rowcount)

    async def set_password(self, user_id: int, app_id: str, password: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(update(bot_passwords).where(
                bot_passwords.c.user_id == user_id, bot_passwords.c.app_id == app_id).values(password=password))

    async def invalidate_all(self, user_id: int) -> None:
        """Void every bot password of the account (its main credentials changed)."""
        async with self._engine.begin() as connection:
            await connection.execute(update(bot_passwords).where(bot_passwords.c.user_id == user_id)
                                     .values(password=""))
