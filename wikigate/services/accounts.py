"""Creating accounts and changing passwords and groups: shared by the API and the CLI."""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING

from wikigate import usernames
from wikigate.store.users import UserRecord

if TYPE_CHECKING:
    from wikigate.app import Services


class AccountError(ValueError):
    """A request about an account that cannot be carried out; `code` is MediaWiki's message key."""

    def __init__(self, code: str, *params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


async def hash_password(services: Services, password: str) -> str:
    # Key stretching is deliberately slow: keep it off the event loop.
    return await asyncio.to_thread(services.hasher.hash, password)


async def create_account(services: Services, name: str, password: str | None, *, email: str = "",
                         real_name: str = "", groups: list[str] | tuple[str, ...] = ()) -> UserRecord:
    canonical = usernames.canonical_name(name, services.namespaces, rigor="creatable")
    if canonical is None:
        raise AccountError("noname", name)
    if await services.users.by_name(canonical) is not None:
        raise AccountError("userexists", canonical)
    stored = await hash_password(services, password) if password else ""
    now = services.clock.now()
    async with services.engine.begin() as connection:
        user_id = await services.users.create(connection, name=canonical, password=stored, email=email,
                                              real_name=real_name, now=now)
        for group in groups:
            await services.users.set_group(connection, user_id, group, None)
    record = await services.users.by_id(user_id)
    assert record is not None
    return record


async def set_password(services: Services, user: UserRecord, password: str) -> None:
    """A new main password; other sessions and bot passwords of the user stop working."""
    stored = await hash_password(services, password)
    await services.users.update(user.id, password=stored, newpassword="", newpass_time=None,
                                token=secrets.token_hex(16), touched=services.clock.now())


async def set_groups(services: Services, user: UserRecord, *, add: list[str], remove: list[str],
                     expiry: float | None = None) -> None:
    async with services.engine.begin() as connection:
        for group in add:
            await services.users.set_group(connection, user.id, group, expiry)
        for group in remove:
            await services.users.remove_group(connection, user.id, group)
