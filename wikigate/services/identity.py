"""Who the session belongs to, checked against the account on every request."""

from __future__ import annotations

import hashlib
import hmac

from wikigate.auth.providers.botpassword import ip_allowed
from wikigate.config import Settings
from wikigate.services.sessions import Session
from wikigate.services.users import User, build_user
from wikigate.store import users
from wikigate.store.botpasswords import BotPasswordRecord
from wikigate.store.database import Database


def remember_token(secret_key: str, user_id: int, user_token: str) -> str:
    """The value of the remember-me cookie: useless without the account's current token."""
    message = f"{user_id}:{user_token}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def bot_password_stamp(stored_hash: str) -> str:
    """What a bot session remembers of its bot password: it changes when the password is reset,
    voided or made anew, which ends the sessions made with the old one."""
    return hashlib.sha256(stored_hash.encode()).hexdigest()[:32]


def start_login_session(session: Session, user_id: int, user_token: str, *, remember: bool,
                        bot: BotPasswordRecord | None = None) -> None:
    """A fresh session id for the newly logged-in user (no session fixation)."""
    session.renew()
    session.set("user_id", user_id)
    session.set("user_token", user_token)
    session.set("remember", remember)
    if bot is not None:
        session.set("bot_app_id", bot.app_id)
        session.set("bot_stamp", bot_password_stamp(bot.password))


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
        bot_app_id = session.get("bot_app_id") if session.user_id else None
        bot: users.BotPasswordState | None = None
        if bot_app_id is not None:
            # The bot password is read with the account, in the same statement: checking it on
            # every request, as MediaWiki does, costs no extra read.
            with_bot = await users.find_with_bot_password(self._database, user_id, bot_app_id)
            found = None if with_bot is None else with_bot[:2]
            bot = None if with_bot is None else with_bot[2]
        else:
            found = await users.find_with_groups(self._database, user_id)
        if found is None:
            if session.user_id:
                session.renew()
            return None
        record, memberships = found
        if record.locked:
            # A locked account acts no more, whatever session or cookie it had (CentralAuth).
            if session.user_id:
                session.renew()
            return None
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
        if bot_app_id is not None:
            # Deleted, reset or made anew since the login, or used from an address it may not
            # be used from: the session ends. Its rights follow the grants as they are now.
            if (bot is None or not hmac.compare_digest(session.get("bot_stamp", ""), bot_password_stamp(bot.password))
                    or not ip_allowed(ip, bot.restrictions)):
                session.renew()
                return None
            return build_user(record, memberships, settings, now, ip=ip, bot_app_id=bot_app_id, grants=bot.grants)
        return build_user(record, memberships, settings, now, ip=ip)


def _remembered_user_id(cookies: dict[str, str], prefix: str) -> int:
    raw = cookies.get(f"{prefix}UserID", "")
    if raw.isdigit() and cookies.get(f"{prefix}Token"):
        return int(raw)
    return 0
