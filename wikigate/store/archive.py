"""Deleted pages' revisions (MediaWiki's `archive` table): moving them out of the history and back.

A deletion moves every revision of a page here, under the title it had,
and removes the page row with its restrictions; an undeletion moves chosen
revisions back, keeping their ids, into the page it creates or the one that
now holds the title.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, delete, insert, literal, select

from wikigate.store.database import Tx
from wikigate.store.pages import PageRecord
from wikigate.store.schema import archive, page, page_restrictions, revision

_REVISION_COLUMNS = ("parent_id", "text", "comment", "user_id", "user_text", "timestamp", "minor", "len", "sha1")


@dataclass(frozen=True, slots=True)
class ArchivedRevision:
    id: int  # the archive row
    rev_id: int
    page_id: int  # the page it belonged to when deleted
    timestamp: float
    user_text: str
    len: int


def first_authors(tx: Tx, page_id: int, limit: int = 20) -> list[str]:
    """Who saved the page's oldest revisions: MediaWiki looks no further to name an only contributor."""
    rows = tx.execute(select(revision.c.user_text).where(revision.c.page_id == page_id)
                      .order_by(revision.c.id).limit(limit))
    return [row.user_text for row in rows]


def archive_page(tx: Tx, record: PageRecord) -> int:
    """Move the page's revisions into the archive and remove the page; the number of revisions moved."""
    columns = [revision.c[name] for name in _REVISION_COLUMNS]
    source = select(literal(record.namespace, Integer).label("namespace"),
                    literal(record.title, String).label("title"),
                    revision.c.id.label("rev_id"), revision.c.page_id, *columns).where(
        revision.c.page_id == record.id)
    moved = tx.execute(insert(archive).from_select(
        ["namespace", "title", "rev_id", "page_id", *_REVISION_COLUMNS], source)).rowcount
    tx.execute(delete(revision).where(revision.c.page_id == record.id))
    tx.execute(delete(page_restrictions).where(page_restrictions.c.page_id == record.id))
    tx.execute(delete(page).where(page.c.id == record.id))
    return int(moved)


def archived(tx: Tx, namespace: int, dbkey: str, timestamps: list[float] | None = None) -> list[ArchivedRevision]:
    """A title's archived revisions, oldest first; only those saved at `timestamps` when given."""
    conditions = [archive.c.namespace == namespace, archive.c.title == dbkey]
    if timestamps:
        conditions.append(archive.c.timestamp.in_(timestamps))
    rows = tx.execute(select(archive.c.id, archive.c.rev_id, archive.c.page_id, archive.c.timestamp,
                             archive.c.user_text, archive.c.len)
                      .where(*conditions).order_by(archive.c.timestamp, archive.c.id))
    return [ArchivedRevision(**row._mapping) for row in rows]


def page_id_free(tx: Tx, page_id: int) -> bool:
    return tx.execute(select(page.c.id).where(page.c.id == page_id)).first() is None


def restore(tx: Tx, rows: list[ArchivedRevision], page_id: int) -> None:
    """Move archived revisions back into the history of `page_id`, under their old revision ids."""
    ids = [row.id for row in rows]
    source = select(archive.c.rev_id.label("id"), literal(page_id, Integer).label("page_id"),
                    *(archive.c[name] for name in _REVISION_COLUMNS)).where(archive.c.id.in_(ids))
    tx.execute(insert(revision).from_select(["id", "page_id", *_REVISION_COLUMNS], source))
    tx.execute(delete(archive).where(archive.c.id.in_(ids)))
