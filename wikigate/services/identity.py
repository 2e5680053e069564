"""Who the session belongs to, checked against the account on every request."""

from __future__ import annotations

import hashlib
import hmac

from wikigate.config import Settings
from wikigate.services.sessions import Session
from wikigate.services.users import User, build_user
from wikigate.store import users
from wikigate.store.database import Database


def remember_token(secret_key: str, user_id: int, user_token: str) -> str:
    """The value of the remember-me cookie: useless without the account's current token."""
    message = f"{user_id}:{user_token}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def start_login_session(session: Session, user_id: int, user_token: str, *, remember: bool,
                        bot_app_id: str | None = None, bot_grants: tuple[str, ...] = ()) -> None:
    """A fresh session id for the newly logged-in user (no session fixation)."""
    session.renew()
    session.set("user_id", user_id)
    session.set("user_token", user_token)
    session.set("remember", remember)
    if bot_app_id is not None:
        session.set("bot_app_id", bot_app_id)
        session.set("bot_grants", list(bot_grants))


class Identity:
    def __init__(self, database: Database, settings: Settings) -> None:
        self._database = database
        self._settings = settings

    async def resolve(self, session: Session, cookies: dict[str, str], ip: str, now: float) -> User | None:
        """The logged-in user of this session, or None for an anonymous request."""
        settings = self._settings
        user_id = session.user_id or _remembered_user_id(cookies, settings.cookie_prefix)
        if not user_id:
            return None
        found = await users.find_with_groups(self._database, user_id)
        if found is None:
            if session.user_id:
                session.renew()
            return None
        record, memberships = found
        if session.user_id:
            # A changed account token (password change, logout everywhere) ends old sessions.
            if not hmac.compare_digest(session.get("user_token", ""), record.token):
                session.renew()
                return None
        else:
            cookie = cookies.get(f"{settings.cookie_prefix}Token", "")
            expected = remember_token(settings.secret_key, record.id, record.token)
            if not hmac.compare_digest(cookie, expected):
                return None
            start_login_session(session, record.id, record.token, remember=True)
        bot_app_id = session.get("bot_app_id")
        grants = tuple(session.get("bot_grants", ()))
        return build_user(record, memberships, settings, now, ip=ip, bot_app_id=bot_app_id, grants=grants)


def _remembered_user_id(cookies: dict[str, str], prefix: str) -> int:
    raw = cookies.get(f"{prefix}UserID", "")
    if raw.isdigit() and cookies.get(f"{prefix}Token"):
        return int(raw)
    return 0
