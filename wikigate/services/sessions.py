"""Server-side sessions behind a cookie, stored in the key-value store.

The cookie holds only a random id; the data lives in the store (database or
Redis), so every server process sees the same session. A session is written
back only when it changed, and its id is rotated when the user changes, which
defeats session fixation.
"""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass, field
from typing import Any

from wikigate.clock import Clock
from wikigate.config import Settings
from wikigate.randomness import Randomness
from wikigate.store.kv import KeyValueStore

KEY_PREFIX = "session:"


def new_session_id(random: Randomness) -> str:
    """32 characters of [a-z2-7] carrying 160 random bits."""
    return base64.b32encode(random.token_bytes(20)).decode("ascii").lower()


@dataclass(slots=True)
class Session:
    """One client's session. `data` is JSON-serialisable."""

    id: str
    random: Randomness
    data: dict[str, Any] = field(default_factory=dict)
    cookie_name: str = ""
    persisted: bool = False  # stored, and the client holds its cookie
    dirty: bool = False
    destroyed_ids: list[str] = field(default_factory=list)
    set_cookie: bool = False
    # Bound to credentials the client sends with every request (OAuth), never to a cookie.
    cookieless: bool = False

    @property
    def user_id(self) -> int:
        return int(self.data.get("user_id", 0))

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        if self.data.get(key) != value:
            self.data[key] = value
            self.dirty = True

    def pop(self, key: str) -> Any:
        if key in self.data:
            self.dirty = True
            return self.data.pop(key)
        return None

    def persist(self) -> None:
        """Make sure the session is stored and its cookie sent (MediaWiki's persist())."""
        if not self.id:
            # Ids are drawn only for sessions that will be kept.
            self.id = new_session_id(self.random)
        if not self.persisted:
            self.persisted = True
            self.dirty = True
            self.set_cookie = True

    def token_secret(self, key: str) -> tuple[str, bool]:
        """The secret for a token family, created on first use; True when new."""
        secrets_by_key: dict[str, str] = self.data.setdefault("token_secrets", {})
        secret = secrets_by_key.get(key)
        if secret is not None:
            return secret, False
        secret = self.random.token_hex(16)
        secrets_by_key[key] = secret
        self.dirty = True
        return secret, True

    def renew(self, *, keep: tuple[str, ...] = ()) -> None:
        """A new id and fresh data (login, logout): old tokens and state stop working."""
        if self.persisted:
            self.destroyed_ids.append(self.id)
        self.id = new_session_id(self.random)
        self.data = {key: self.data[key] for key in keep if key in self.data}
        self.persisted = True
        self.dirty = True
        self.set_cookie = True


class SessionStore:
    def __init__(self, kv: KeyValueStore, settings: Settings, clock: Clock, random: Randomness) -> None:
        self._kv = kv
        self._settings = settings
        self._clock = clock
        self._random = random
        self.cookie_name = f"{settings.cookie_prefix}_session"
        self.bot_cookie_name = f"{settings.cookie_prefix}_BPsession"

    async def load(self, cookies: dict[str, str]) -> Session:
        """The session named by the request's cookies, or a new unsaved one."""
        for name in (self.bot_cookie_name, self.cookie_name):
            session_id = cookies.get(name, "")
            if not _valid_id(session_id):
                continue
            raw = await self._kv.get(KEY_PREFIX + session_id)
            if raw is None:
                continue
            data = json.loads(raw)
            session = Session(id=session_id, random=self._random, data=data, cookie_name=name, persisted=True)
            # Slide the expiry once half of it has passed, not on every request.
            if data.get("expires", 0) - self._clock.now() < self._settings.session_expiry / 2:
                session.dirty = True
            return session
        return Session(id="", random=self._random, cookie_name=self.cookie_name)

    async def load_bound(self, key: str) -> Session:
        """The session of an OAuth token (`key` derives from it): its token secrets live here,
        so that a token fetched with meta=tokens works on the next request made with it."""
        session_id = f"oauth{key}"
        raw = await self._kv.get(KEY_PREFIX + session_id)
        data = json.loads(raw) if raw is not None else {}
        return Session(id=session_id, random=self._random, data=data, cookie_name="", persisted=True,
                       cookieless=True)


    async def save(self, session: Session) -> None:
        writes = []
        if session.destroyed_ids:
            writes.append(self._kv.delete(*(KEY_PREFIX + old for old in session.destroyed_ids)))
            session.destroyed_ids.clear()
        if session.persisted and session.dirty:
            session.data["expires"] = self._clock.now() + self._settings.session_expiry
            writes.append(self._kv.set(KEY_PREFIX + session.id, json.dumps(session.data),
                                       self._settings.session_expiry))
            session.dirty = False
        # Together, so a store that batches writes commits a rotation at once.
        await asyncio.gather(*writes)

    async def delete(self, session_id: str) -> None:
        await self._kv.delete(KEY_PREFIX + session_id)


def _valid_id(session_id: str) -> bool:
    return 16 <= len(session_id) <= 64 and session_id.isalnum() and session_id.isascii()
