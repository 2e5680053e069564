"""Two-factor (TOTP) enrolments: the secret, unused recovery codes, the last accepted step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from wikigate.store.db import read_first
from wikigate.store.schema import oath_users
from wikigate.store.sqlite_direct import DirectSqlite


@dataclass(frozen=True, slots=True)
class OathRecord:
    user_id: int
    secret: str
    recovery_codes: tuple[str, ...]  # hashes of the codes not used yet
    last_step: int | None


def _record(row: Row) -> OathRecord:
    return OathRecord(user_id=row.user_id, secret=row.secret, recovery_codes=tuple(row.recovery_codes),
                      last_step=row.last_step)


class OathRepository:
    def __init__(self, engine: AsyncEngine, direct: DirectSqlite | None = None) -> None:
        self._engine = engine
        self._direct = direct

    async def get(self, user_id: int) -> OathRecord | None:
        row = await read_first(self._engine, self._direct, select(oath_users).where(oath_users.c.user_id == user_id))
        return None if row is None else _record(row)

    async def enable(self, user_id: int, secret: str, recovery_hashes: list[str]) -> None:
        """Enrol (again): a new secret replaces any old one."""
        async with self._engine.begin() as connection:
            await connection.execute(delete(oath_users).where(oath_users.c.user_id == user_id))
            await connection.execute(oath_users.insert().values(
                user_id=user_id, secret=secret, recovery_codes=recovery_hashes, last_step=None))

    async def disable(self, user_id: int) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(delete(oath_users).where(oath_users.c.user_id == user_id))
        return bool(result.rowcount)

    async def set_recovery_codes(self, user_id: int, recovery_hashes: list[str]) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(update(oath_users).where(oath_users.c.user_id == user_id)
                                     .values(recovery_codes=recovery_hashes))

    async def accept_step(self, user_id: int, step: int) -> bool:
        """Record `step` as used; False when it (or a later one) was used already.

        The condition is checked in the update itself, so two requests racing
        with the same code cannot both succeed.
        """
        statement = (
            update(oath_users)
            .where(oath_users.c.user_id == user_id,
                   or_(oath_users.c.last_step.is_(None), oath_users.c.last_step < step))
            .values(last_step=step)
        )
        async with self._engine.begin() as connection:
            result = await connection.execute(statement)
        return bool(result.rowcount)

    async def consume_recovery_code(self, user_id: int, match: Callable[[list[str]], int | None]) -> bool:
        """Remove the stored code `match` picks; False when none matches.

        The row is locked while it is read and rewritten, so a code cannot be
        spent twice by two concurrent logins.
        """
        query = select(oath_users.c.recovery_codes).where(oath_users.c.user_id == user_id).with_for_update()
        async with self._engine.begin() as connection:
            row = (await connection.execute(query)).first()
            if row is None:
                return False
            codes = list(row.recovery_codes)
            index = match(codes)
            if index is None:
                return False
            del codes[index]
            await connection.execute(update(oath_users).where(oath_users.c.user_id == user_id)
                                     .values(recovery_codes=codes))
        return True
