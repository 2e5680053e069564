"""Which block stops a request, and what it stops (MediaWiki's BlockManager and DatabaseBlock rules).

The blocks that apply to a request are those of its account and those of
the ranges holding its address, unless the account has `ipblock-exempt`; an
anonymous-only block leaves logged-in users alone, and an autoblock counts
once per block it came from. One such block is reported as itself; several
as a composite, which stops whatever any of them stops and lasts as long as
the longest.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikigate import titles
from wikigate.services.users import User
from wikigate.store import blocks as store
from wikigate.store.blocks import NAMESPACE_RESTRICTION, PAGE_RESTRICTION, BlockRecord
from wikigate.store.database import Tx

# How long an autoblock lasts ($wgAutoblockExpiry), never past the block it came from.
AUTOBLOCK_EXPIRY = 86400


@dataclass(frozen=True, slots=True)
class ActiveBlock:
    """The block (or blocks) standing in the way of one request, as of `now`."""

    parts: tuple[BlockRecord, ...]
    ip: str
    now: float

    @property
    def single(self) -> BlockRecord | None:
        return self.parts[0] if len(self.parts) == 1 else None

    @property
    def id(self) -> int | None:
        return self.single.id if self.single else None

    @property
    def is_autoblock(self) -> bool:
        return self.single is not None and self.single.is_autoblock

    @property
    def blocker(self) -> tuple[str, int]:
        """The blocker's name and id ('' and 0 for a composite)."""
        return (self.single.by_text, self.single.by_id) if self.single else ("", 0)

    @property
    def timestamp(self) -> float:
        return self.single.timestamp if self.single else self.now

    @property
    def expiry(self) -> float | None:
        expiries = [part.expiry for part in self.parts]
        return None if None in expiries else max(e for e in expiries if e is not None)

    @property
    def sitewide(self) -> bool:
        return any(part.sitewide for part in self.parts)

    @property
    def create_account(self) -> bool:
        return any(part.create_account for part in self.parts)

    @property
    def block_email(self) -> bool:
        return any(part.block_email for part in self.parts)

    @property
    def hardblock(self) -> bool:
        return any(part.user_id or not part.anon_only for part in self.parts)

    @property
    def hidden(self) -> bool:
        return any(part.hidden for part in self.parts)

    def message_key(self) -> str:
        """The message MediaWiki explains this kind of block with."""
        if self.single is None:
            return "blockedtext-composite"
        if self.single.is_autoblock:
            return "autoblockedtext"
        return "blockedtext" if self.single.sitewide else "blockedtext-partial"

    def applies_to_title(self, title: titles.Title, page_id: int) -> bool:
        return any(_covers(part, title.namespace, page_id) for part in self.parts)

    def applies_to_own_talk(self, page_id: int) -> bool:
        """Whether it stops its user editing their own talk page."""
        for part in self.parts:
            if not part.sitewide and not _covers_restriction(part, PAGE_RESTRICTION, page_id):
                if not _covers_restriction(part, NAMESPACE_RESTRICTION, titles.NS.USER_TALK):
                    continue
            if not part.allow_usertalk:
                return True
        return False

    def stops(self, user: User, title: titles.Title, page_id: int) -> bool:
        """MediaWiki's isBlockedFrom: a hidden user is stopped everywhere; otherwise the
        user's own talk page follows allowusertalk, other pages the block's reach."""
        if self.hidden:
            return True
        if (not user.is_anon and title.namespace == titles.NS.USER_TALK
                and title.dbkey == user.name.replace(" ", "_")):
            return self.applies_to_own_talk(page_id)
        return self.applies_to_title(title, page_id)


def _covers_restriction(part: BlockRecord, kind: int, value: int) -> bool:
    return (kind, value) in part.restrictions


def _covers(part: BlockRecord, namespace: int, page_id: int) -> bool:
    if part.sitewide:
        return True
    return ((page_id > 0 and _covers_restriction(part, PAGE_RESTRICTION, page_id))
            or (namespace >= 0 and _covers_restriction(part, NAMESPACE_RESTRICTION, namespace)))


def active_block(tx: Tx, user: User, now: float) -> ActiveBlock | None:
    """What blocks the user (from the address of their request), if anything."""
    check_ip = bool(user.ip) and titles.is_ip(user.ip) and not user.has_right("ipblock-exempt")
    addresses = [titles.ip_hex(user.ip)] if check_ip else []
    found = store.applicable(tx, 0 if user.is_anon else user.id, addresses, now)
    return combine(found, user, now)


def combine(found: list[BlockRecord], user: User, now: float) -> ActiveBlock | None:
    kept: dict[int, BlockRecord] = {}
    autoblocks: list[BlockRecord] = []
    for record in found:
        if not user.is_anon and record.user_id == 0 and record.anon_only:
            continue  # soft blocks of an address leave its logged-in users alone
        if record.is_autoblock:
            autoblocks.append(record)
        else:
            kept[record.id] = record
    for record in autoblocks:
        assert record.parent_id is not None
        if record.parent_id not in kept:
            kept.setdefault(-record.parent_id, record)
    if not kept:
        return None
    return ActiveBlock(tuple(kept.values()), user.ip, now)
