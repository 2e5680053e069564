"""Helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from wikigate.services.accounts import create_account
from wikigate.services.identity import start_login_session
from wikigate.services.sessions import Session, new_session_id


async def sign_in(services: Any, api: Any, record: Any, *, auth_time: float | None = None) -> None:
    """Give a client a session that belongs to an account, without a login module.

    `auth_time` is when the user last entered a password (None: a restored session).
    """
    session = Session(id=new_session_id(), cookie_name=services.sessions.cookie_name)
    start_login_session(session, record.id, record.token, remember=False)
    if auth_time is not None:
        session.set("auth_time", auth_time)
    await services.sessions.save(session)
    api.client.cookies.set(session.cookie_name, session.id)


async def logged_in(new_api: Any, services: Any, name: str, groups: tuple[str, ...] = ()) -> Any:
    """A new client whose session belongs to a new account."""
    record = await create_account(services, name, None, groups=groups)
    api = new_api()
    await sign_in(services, api, record)
    return api
