"""Two-factor (TOTP) enrolments: the secret, unused recovery codes, the last accepted step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, or_, select, update

from wikigate.store.database import Database, Tx
from wikigate.store.schema import oath_users


@dataclass(frozen=True, slots=True)
class OathRecord:
    user_id: int
    secret: str
    recovery_codes: tuple[str, ...]  # hashes of the codes not used yet
    last_step: int | None


def _record(row: Any) -> OathRecord:
    return OathRecord(user_id=row.user_id, secret=row.secret, recovery_codes=tuple(row.recovery_codes),
                      last_step=row.last_step)


_GET = select(oath_users).where(oath_users.c.user_id == bindparam("user_id"))
_ENROLLED_SQL = "SELECT 1 FROM oath_users WHERE user_id = :user_id"


async def is_enrolled(database: Database, user_id: int) -> bool:
    """Whether the account uses two-factor (every login asks, so this is one cheap statement)."""
    return await database.query_one(_ENROLLED_SQL, {"user_id": user_id}) is not None


def get(tx: Tx, user_id: int) -> OathRecord | None:
    row = tx.execute(_GET, {"user_id": user_id}).first()
    return None if row is None else _record(row)


def enable(tx: Tx, user_id: int, secret: str, recovery_hashes: list[str]) -> None:
    """Enrol (again): a new secret replaces any old one."""
    tx.execute(delete(oath_users).where(oath_users.c.user_id == user_id))
    tx.execute(oath_users.insert(), {"user_id": user_id, "secret": secret, "recovery_codes": recovery_hashes,
                                     "last_step": None})


def disable(tx: Tx, user_id: int) -> bool:
    return bool(tx.execute(delete(oath_users).where(oath_users.c.user_id == user_id)).rowcount)


def set_recovery_codes(tx: Tx, user_id: int, recovery_hashes: list[str]) -> None:
    tx.execute(update(oath_users).where(oath_users.c.user_id == user_id).values(recovery_codes=recovery_hashes))


def accept_step(tx: Tx, user_id: int, step: int) -> bool:
    """Record `step` as used; False when it (or a later one) was used already.

    The condition is checked in the update itself, so two requests racing with
    the same code cannot both succeed.
    """
    result = tx.execute(
        update(oath_users)
        .where(oath_users.c.user_id == user_id, or_(oath_users.c.last_step.is_(None), oath_users.c.last_step < step))
        .values(last_step=step))
    return bool(result.rowcount)


def consume_recovery_code(tx: Tx, user_id: int, match: Callable[[list[str]], int | None]) -> bool:
    """Remove the stored code `match` picks; False when none matches.

    The row is locked while it is read and rewritten (and on SQLite the unit
    holds the write lock), so a code cannot be spent twice by two logins.
    """
    row = tx.execute(select(oath_users.c.recovery_codes).where(oath_users.c.user_id == user_id)
                     .with_for_update()).first()
    if row is None:
        return False
    codes = list(row.recovery_codes)
    index = match(codes)
    if index is None:
        return False
    del codes[index]
    set_recovery_codes(tx, user_id, codes)
    return True
