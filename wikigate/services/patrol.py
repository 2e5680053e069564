"""Marking recent changes as patrolled (MediaWiki's RecentChange::markPatrolled).

Patrolling needs the `patrol` right, and one's own edits also `autopatrol`.
A change patrolled already (or autopatrolled) stays as it is and writes
nothing; otherwise it is marked and a patrol/patrol log entry written,
which, as in MediaWiki, does not show in the recent changes itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikigate import titles
from wikigate.config import Settings
from wikigate.services.blocking import active_block
from wikigate.services.pages import PageError, load_state
from wikigate.services.permissions import Denial, permission_errors
from wikigate.services.users import User
from wikigate.store import changes, logs
from wikigate.store import pages as store
from wikigate.store.changes import Change
from wikigate.store.database import Database, Tx


@dataclass(frozen=True, slots=True)
class Patrolled:
    change_id: int
    title: titles.Title


class Patrols:
    def __init__(self, database: Database, settings: Settings, namespaces: titles.Namespaces) -> None:
        self._database = database
        self._settings = settings
        self._namespaces = namespaces

    async def patrol(self, user: User, *, change_id: int | None, rev_id: int | None, now: float) -> Patrolled:
        """Patrol the change with id `change_id`, or the edit that saved revision `rev_id`."""
        return await self._database.write(lambda tx: self._patrol(tx, user, change_id, rev_id, now))

    def _patrol(self, tx: Tx, user: User, change_id: int | None, rev_id: int | None, now: float) -> Patrolled:
        change = self._find(tx, change_id, rev_id)
        title = self._namespaces.title(change.namespace, change.title)
        denials = permission_errors("patrol", user, load_state(tx, self._namespaces, title, now), self._settings,
                                    block=active_block(tx, user, now))
        if change.user_text == user.name and not user.has_right("autopatrol"):
            denials.append(Denial("markedaspatrollederror-noautopatrol"))
        if denials:
            raise PageError(denials)
        if change.patrolled == changes.UNPATROLLED:
            changes.set_patrolled(tx, [change.id], changes.PATROLLED)
            logs.add_log(tx, type="patrol", action="patrol", now=now, user_id=user.id, user_text=user.name,
                         namespace=change.namespace, title=change.title, page_id=change.page_id, comment="",
                         params={"curid": change.this_oldid, "previd": change.last_oldid, "auto": False},
                         recent=False)
        return Patrolled(change.id, title)

    @staticmethod
    def _find(tx: Tx, change_id: int | None, rev_id: int | None) -> Change:
        if change_id is not None:
            change = changes.change_by_id(tx, change_id)
            if change is None:
                raise PageError("apierror-nosuchrcid", change_id)
            return change
        assert rev_id is not None
        if store.revision_by_id(tx, rev_id) is None:
            raise PageError("apierror-nosuchrevid", rev_id)
        change = changes.change_by_revision(tx, rev_id)
        if change is None:
            raise PageError("apierror-notpatrollable", rev_id)
        return change
