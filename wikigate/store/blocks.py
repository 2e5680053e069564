"""Blocks (MediaWiki's ipblocks and ipblocks_restrictions): placing, changing, lifting and finding them.

A block's target is an account (user_id set), an IP address or a range
(user_id 0, range_start..range_end in `titles.ip_hex` form, equal for one
address). Autoblocks are IP blocks with `parent_id` naming the account block
they came from; lifting that block lifts them too. Expired blocks stay in the
table until something replaces them, and every reader skips them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, false, insert, or_, select, update

from wikigate.store.database import Tx, inserted_id, time_order
from wikigate.store.schema import block_restrictions, blocks, page, recentchanges

PAGE_RESTRICTION, NAMESPACE_RESTRICTION = 1, 2


@dataclass(frozen=True, slots=True)
class BlockRecord:
    id: int
    target: str
    user_id: int
    by_id: int
    by_text: str
    reason: str
    timestamp: float
    expiry: float | None
    range_start: str
    range_end: str
    anon_only: bool
    create_account: bool
    autoblock: bool
    block_email: bool
    allow_usertalk: bool
    hidden: bool
    sitewide: bool
    parent_id: int | None
    # (type, value) pairs of a partial block: PAGE_RESTRICTION with a page id,
    # NAMESPACE_RESTRICTION with a namespace number.
    restrictions: tuple[tuple[int, int], ...] = ()

    @property
    def is_autoblock(self) -> bool:
        return self.parent_id is not None


_COLUMNS = [column for column in blocks.c]


def _unexpired(now: float) -> ColumnElement[bool]:
    return or_(blocks.c.expiry.is_(None), blocks.c.expiry > now)


def _records(tx: Tx, rows: Iterable[Any]) -> list[BlockRecord]:
    found = [dict(row._mapping) for row in rows]
    if not found:
        return []
    restrictions: dict[int, list[tuple[int, int]]] = {}
    partial = [row["id"] for row in found if not row["sitewide"]]
    if partial:
        for row in tx.execute(select(block_restrictions).where(block_restrictions.c.block_id.in_(partial))
                              .order_by(block_restrictions.c.type, block_restrictions.c.value)):
            restrictions.setdefault(row.block_id, []).append((row.type, row.value))
    return [BlockRecord(**row, restrictions=tuple(restrictions.get(row["id"], ()))) for row in found]


def insert_block(tx: Tx, values: dict[str, Any], restrictions: Iterable[tuple[int, int]]) -> int:
    block_id = inserted_id(tx.execute(insert(blocks), values))
    _set_restrictions(tx, block_id, restrictions)
    return block_id


def update_block(tx: Tx, block_id: int, values: dict[str, Any], restrictions: Iterable[tuple[int, int]]) -> None:
    tx.execute(update(blocks).where(blocks.c.id == block_id).values(**values))
    tx.execute(delete(block_restrictions).where(block_restrictions.c.block_id == block_id))
    _set_restrictions(tx, block_id, restrictions)


def _set_restrictions(tx: Tx, block_id: int, restrictions: Iterable[tuple[int, int]]) -> None:
    rows = [{"block_id": block_id, "type": kind, "value": value} for kind, value in dict.fromkeys(restrictions)]
    if rows:
        tx.execute(insert(block_restrictions), rows)


def delete_block(tx: Tx, block_id: int) -> None:
    """Lift a block and the autoblocks it spread."""
    doomed = select(blocks.c.id).where(or_(blocks.c.id == block_id, blocks.c.parent_id == block_id))
    tx.execute(delete(block_restrictions).where(block_restrictions.c.block_id.in_(doomed)))
    tx.execute(delete(blocks).where(or_(blocks.c.id == block_id, blocks.c.parent_id == block_id)))


def delete_autoblocks(tx: Tx, parent_id: int) -> None:
    children = select(blocks.c.id).where(blocks.c.parent_id == parent_id)
    tx.execute(delete(block_restrictions).where(block_restrictions.c.block_id.in_(children)))
    tx.execute(delete(blocks).where(blocks.c.parent_id == parent_id))


def delete_expired(tx: Tx, target: str, now: float) -> None:
    """Clear a target's expired blocks before a new one is placed (MediaWiki purges them so)."""
    expired = select(blocks.c.id).where(blocks.c.target == target, blocks.c.expiry.is_not(None),
                                        blocks.c.expiry <= now)
    tx.execute(delete(block_restrictions).where(block_restrictions.c.block_id.in_(expired)))
    tx.execute(delete(blocks).where(blocks.c.target == target, blocks.c.expiry.is_not(None),
                                    blocks.c.expiry <= now))


def block_by_id(tx: Tx, block_id: int, now: float) -> BlockRecord | None:
    found = _records(tx, tx.execute(select(*_COLUMNS).where(blocks.c.id == block_id, _unexpired(now))))
    return found[0] if found else None


def blocks_of_target(tx: Tx, target: str, now: float) -> list[BlockRecord]:
    """The unexpired blocks placed on exactly this account name, address or range (no autoblocks)."""
    rows = tx.execute(select(*_COLUMNS).where(blocks.c.target == target, blocks.c.parent_id.is_(None),
                                              _unexpired(now)).order_by(blocks.c.id))
    return _records(tx, rows)


def applicable(tx: Tx, user_id: int, addresses: Iterable[str], now: float) -> list[BlockRecord]:
    """Unexpired blocks of the account `user_id` (0: none) and of the ranges holding any of the
    addresses (given in `ip_hex` form), newest first."""
    conditions = [and_(blocks.c.range_start <= address, blocks.c.range_end >= address) for address in addresses]
    if user_id:
        conditions.append(blocks.c.user_id == user_id)
    if not conditions:
        return []
    rows = tx.execute(select(*_COLUMNS).where(or_(*conditions), _unexpired(now)).order_by(blocks.c.id.desc()))
    return _records(tx, rows)


def account_blocks(tx: Tx, user_ids: list[int], now: float) -> list[BlockRecord]:
    """The unexpired blocks placed on these accounts themselves, in one statement, newest first."""
    if not user_ids:
        return []
    rows = tx.execute(select(*_COLUMNS).where(blocks.c.user_id.in_(user_ids), _unexpired(now))
                      .order_by(blocks.c.id.desc()))
    return _records(tx, rows)


def autoblock_of(tx: Tx, parent_id: int, address_hex: str) -> BlockRecord | None:
    rows = tx.execute(select(*_COLUMNS).where(blocks.c.parent_id == parent_id, blocks.c.range_start == address_hex,
                                              blocks.c.range_end == address_hex))
    found = _records(tx, rows)
    return found[0] if found else None


def extend_autoblocks(tx: Tx, parent_id: int, values: dict[str, Any]) -> None:
    tx.execute(update(blocks).where(blocks.c.parent_id == parent_id).values(**values))


def last_address(tx: Tx, user_id: int) -> str | None:
    """The address of the account's latest recorded change, if it was recorded with one."""
    row = tx.execute(select(recentchanges.c.ip).where(recentchanges.c.user_id == user_id, recentchanges.c.ip != "")
                     .order_by(recentchanges.c.id.desc()).limit(1)).first()
    return None if row is None else str(row.ip)


@dataclass(frozen=True, slots=True)
class BlockFilter:
    """What list=blocks asks for: block ids, exact targets, an address or range the blocks must
    hold wholly (start, end in ip_hex form), and bkshow's flags (account, !account, ip, …)."""

    ids: tuple[int, ...] = ()
    targets: tuple[str, ...] = ()
    within: tuple[str, str] | None = None
    show: frozenset[str] = frozenset()
    include_hidden: bool = True  # blocks that hide their user's name (only for those with `hideuser`)


def _show_conditions(show: frozenset[str]) -> list[ColumnElement[bool]]:
    """bkshow's flags as MediaWiki words them; a user block's range is empty, so it counts as no range."""
    single = blocks.c.range_end == blocks.c.range_start
    wide = blocks.c.range_end > blocks.c.range_start
    infinite = blocks.c.expiry.is_(None)
    meaning: dict[str, ColumnElement[bool]] = {
        "account": blocks.c.user_id != 0, "!account": blocks.c.user_id == 0,
        "ip": and_(blocks.c.user_id == 0, single), "!ip": or_(blocks.c.user_id != 0, wide),
        "temp": ~infinite, "!temp": infinite, "range": wide, "!range": single,
    }
    return [meaning[flag] for flag in sorted(show)]


def listed(tx: Tx, query: BlockFilter, now: float, *, newer_first: bool, start: float | None, end: float | None,
           after: tuple[float, int] | None, limit: int) -> list[BlockRecord]:
    """Unexpired blocks matching `query` in time order (id breaking ties), `limit` of them."""
    conditions: list[ColumnElement[bool]] = [_unexpired(now), *_show_conditions(query.show)]
    if query.ids:
        conditions.append(blocks.c.id.in_(query.ids))
    if query.targets:
        conditions.append(and_(blocks.c.target.in_(query.targets), blocks.c.parent_id.is_(None)))
    if query.within is not None:
        low, high = query.within
        conditions.append(and_(blocks.c.range_start <= low, blocks.c.range_end >= high, blocks.c.range_start != "",
                               blocks.c.parent_id.is_(None)))
    if not query.include_hidden:
        conditions.append(blocks.c.hidden == false())
    window, order = time_order(blocks.c.timestamp, blocks.c.id, newest_first=newer_first, start=start, end=end,
                               after=after)
    conditions.extend(window)
    rows = tx.execute(select(*_COLUMNS).where(*conditions).order_by(*order).limit(limit))
    return _records(tx, rows)


def page_titles(tx: Tx, page_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """The namespace and title of each page a partial block names."""
    ids = list(set(page_ids))
    if not ids:
        return {}
    rows = tx.execute(select(page.c.id, page.c.namespace, page.c.title).where(page.c.id.in_(ids)))
    return {row.id: (row.namespace, row.title) for row in rows}
