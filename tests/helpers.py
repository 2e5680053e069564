"""Helpers shared by the API tests."""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Table, select

from wikigate.app import Runtime
from wikigate.auth.hashing import PasswordFactory
from wikigate.config import Settings
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


@dataclass
class Inbox:
    """What the in-process SMTP server accepted, in arrival order."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def route(self, settings: Settings) -> Settings:
        """`settings` with the application's mail going here (for a `settings` override)."""
        return replace(settings, smtp_host=self.host, smtp_port=self.port, smtp_tls="none")

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message, rcpts in zip(self.messages, self.recipients) if address in rcpts]


@contextlib.contextmanager
def running_smtp() -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on a free local port, for as long as the block runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox(port=port)
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
