"""Helpers shared by the API tests."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Table, select

from wikigate.app import Runtime
from wikigate.auth.hashing import PasswordFactory
from wikigate.randomness import Randomness
from wikigate.services.identity import start_login_session
from wikigate.services.sessions import Session, new_session_id
from wikigate.store import users
from wikigate.store.users import UserRecord


async def sign_in(services: Any, api: Any, record: Any, *, auth_time: float | None = None) -> None:
    """Give a client a session that belongs to an account, without a login module.

    `auth_time` is when the user last entered a password (None: a restored session).
    """
    random = Randomness()
    session = Session(id=new_session_id(random), random=random, cookie_name=services.sessions.cookie_name)
    start_login_session(session, record.id, record.token, remember=False)
    if auth_time is not None:
        session.set("auth_time", auth_time)
    await services.sessions.save(session)
    api.client.cookies.set(session.cookie_name, session.id)


async def logged_in(new_api: Any, services: Any, name: str, groups: tuple[str, ...] = ()) -> Any:
    """A new client whose session belongs to a new account."""
    record = await services.accounts.create(name, None, groups=groups)
    api = new_api()
    await sign_in(services, api, record)
    return api


# -- reaching into the store, for setting up and checking what the API cannot show -------------

# Verifies a hash of any type MediaWiki stores; the cost only matters for new hashes.
HASHER = PasswordFactory(Randomness(), pbkdf2_cost=1000)


async def stored_account(runtime: Runtime, name: str) -> UserRecord:
    record = await users.find_by_name(runtime.database, name)
    assert record is not None, name
    return record


async def stored_account_by_id(runtime: Runtime, user_id: int) -> UserRecord:
    record = await users.find_by_id(runtime.database, user_id)
    assert record is not None, user_id
    return record


async def update_account(runtime: Runtime, user_id: int, **values: Any) -> None:
    await runtime.database.write(lambda tx: users.update_user(tx, user_id, **values))


async def table_rows(runtime: Runtime, table: Table, *where: Any) -> list[Any]:
    """The rows of a table (matching `where`), as SQLAlchemy rows."""
    return await runtime.database.read(lambda tx: list(tx.execute(select(table).where(*where))))


async def insert_rows(runtime: Runtime, table: Table, *rows: dict[str, Any]) -> None:
    await runtime.database.write(lambda tx: tx.execute(table.insert(), list(rows)))


REDIS_URL = os.environ.get("WIKIGATE_TEST_REDIS", "redis://127.0.0.1:6379/0")


async def redis_available() -> bool:
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        return bool(await client.ping())
    except Exception:
        return False
    finally:
        await client.aclose()


async def drop_redis_keys(prefix: str) -> None:
    """Remove a test's keys (its own prefix) from the shared Redis."""
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
