"""The log (MediaWiki's `logging` table): the one writer of log entries, and their listing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from wikigate.store import changes
from wikigate.store.database import Tx, inserted_id, time_order
from wikigate.store.schema import logging as log_table


@dataclass(frozen=True, slots=True)
class LogEntry:
    id: int
    type: str
    action: str
    timestamp: float
    user_id: int
    user_text: str
    namespace: int
    title: str
    page_id: int | None
    comment: str
    params: dict[str, Any]



def add_log(tx: Tx, *, type: str, action: str, now: float, user_id: int,
            user_text: str, namespace: int, title: str, page_id: int | None, comment: str,
            params: dict[str, Any], bot: bool = False, rev_id: int = 0, recent: bool = True) -> int:
    """Write a log entry and, unless `recent` is False (page creations), its row in the recent changes.

    `bot` flags the change as a bot's; `rev_id` is the revision the action made (a protection's or a
    move's null revision), if any. Log actions are never patrollable: they count as autopatrolled.
    """
    result = tx.execute(log_table.insert(), {
        "type": type, "action": action, "timestamp": now, "user_id": user_id, "user_text": user_text,
        "namespace": namespace, "title": title, "page_id": page_id, "comment": comment, "params": params})
    log_id = inserted_id(result)
    if recent:
        changes.add_change(
            tx, timestamp=now, user_id=user_id, user_text=user_text, namespace=namespace, title=title,
            comment=comment, minor=False, bot=bot, type=changes.RC_LOG, page_id=page_id or 0, this_oldid=rev_id,
            last_oldid=0, patrolled=changes.AUTOPATROLLED, old_len=None, new_len=None, log_id=log_id,
            log_type=type, log_action=action)
    return log_id

def log_entries(tx: Tx, *, types: list[str], action: str | None,
                user_text: str | None, target: tuple[int, str] | None, namespace: int | None,
                newest_first: bool, limit: int, start: float | None, end: float | None,
                after: tuple[float, int] | None, excluded_types: tuple[str, ...] = ()) -> list[LogEntry]:
    """Log entries in time order; `after` is a (time, id) continuation."""
    t = log_table
    conditions: list[Any] = []
    if types:
        conditions.append(t.c.type.in_(types))
    if excluded_types:
        conditions.append(t.c.type.not_in(excluded_types))
    if action is not None:
        conditions.append(t.c.action == action)
    if user_text is not None:
        conditions.append(t.c.user_text == user_text)
    if target is not None:
        conditions.extend([t.c.namespace == target[0], t.c.title == target[1]])
    if namespace is not None:
        conditions.append(t.c.namespace == namespace)
    window, order = time_order(t.c.timestamp, t.c.id, newest_first=newest_first, start=start, end=end, after=after)
    conditions += window
    rows = tx.execute(select(t).where(*conditions).order_by(*order).limit(limit))
    return [LogEntry(**{name: row._mapping[name] for name in LogEntry.__slots__}) for row in rows]
