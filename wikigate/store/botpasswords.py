"""Bot passwords: per-application passwords of an account, with grants and IP limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from wikigate.store.database import Tx
from wikigate.store.schema import bot_passwords


@dataclass(frozen=True, slots=True)
class BotPasswordRecord:
    user_id: int
    app_id: str
    password: str  # a hash; empty once voided by a change of the account's credentials
    grants: tuple[str, ...]
    restrictions: tuple[str, ...]  # CIDR ranges allowed to log in; empty: anywhere
    created: float


def _record(row: Any) -> BotPasswordRecord:
    return BotPasswordRecord(user_id=row.user_id, app_id=row.app_id, password=row.password,
                             grants=tuple(row.grants), restrictions=tuple(row.restrictions),
                             created=row.created)


_GET = select(bot_passwords).where(bot_passwords.c.user_id == bindparam("user_id"),
                                   bot_passwords.c.app_id == bindparam("app_id"))


def get(tx: Tx, user_id: int, app_id: str) -> BotPasswordRecord | None:
    row = tx.execute(_GET, {"user_id": user_id, "app_id": app_id}).first()
    return None if row is None else _record(row)


def for_user(tx: Tx, user_id: int) -> list[BotPasswordRecord]:
    query = select(bot_passwords).where(bot_passwords.c.user_id == user_id).order_by(bot_passwords.c.app_id)
    return [_record(row) for row in tx.execute(query)]


def insert(tx: Tx, record: BotPasswordRecord) -> None:
    tx.execute(bot_passwords.insert(), {
        "user_id": record.user_id, "app_id": record.app_id, "password": record.password,
        "grants": list(record.grants), "restrictions": list(record.restrictions), "created": record.created})


def change(tx: Tx, user_id: int, app_id: str, *, grants: tuple[str, ...], restrictions: tuple[str, ...],
            password: str | None) -> bool:
    """New grants and ranges (and a new hash, unless None); False when there is no such bot password."""
    values: dict[str, object] = {"grants": list(grants), "restrictions": list(restrictions)}
    if password is not None:
        values["password"] = password
    result = tx.execute(update(bot_passwords).where(bot_passwords.c.user_id == user_id,
                                                     bot_passwords.c.app_id == app_id).values(**values))
    return bool(result.rowcount)


def remove(tx: Tx, user_id: int, app_id: str) -> bool:
    result = tx.execute(delete(bot_passwords).where(bot_passwords.c.user_id == user_id,
                                                    bot_passwords.c.app_id == app_id))
    return bool(result.rowcount)


def void_all(tx: Tx, user_id: int) -> None:
    """Every bot password of the account stops working until reset: an empty hash never verifies.

    Bot passwords were granted under the account's old credentials, so
    MediaWiki voids them whenever those change, removals included.
    """
    tx.execute(update(bot_passwords).where(bot_passwords.c.user_id == user_id).values(password=""))
