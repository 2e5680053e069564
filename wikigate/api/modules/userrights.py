"""action=userrights: add users to groups and remove them, as the performer's rights allow.

Groups the performer may not change are skipped without an error, as in
MediaWiki; the answer lists only the groups actually added and removed.
Any change is written to the rights log. Reading the current groups, the
changes and the log entry run as one transaction, so concurrent changes of
one user's groups cannot work from the same stale list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from wikigate import timeutil
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.params import Param, check_change_tags, require_one_of, split_multi
from wikigate.config import IMPLICIT_GROUPS
from wikigate.services.pages import REPOSITORY, run_transaction
from wikigate.services.rights import changeable_groups
from wikigate.store.schema import user_groups
from wikigate.store.users import UserRecord
from wikigate.titles import NS

NAME = "userrights"
WRITE = True
TOKEN = "userrights"
DESCRIPTION = "Change a user's group membership."
PARAMS = (
    Param("user", "user", help="User."),
    Param("userid", "integer", deprecated=True, help="User ID."),
    Param("add", "string", multi=True, help="Add the user to these groups."),
    Param("expiry", "string", multi=True, default="infinite",
          help="Expiry timestamps for the added groups: one for all, or one per group."),
    Param("remove", "string", multi=True, help="Remove the user from these groups."),
    Param("reason", "string", default="", help="Reason for the change."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the user rights log."),
)
EXAMPLES = (
    ("action=userrights&user=FooBot&add=bot&remove=sysop|bureaucrat&token=123ABC",
     "Add user FooBot to group bot, and remove from groups sysop and bureaucrat."),
    ("action=userrights&user=SomeUser&add=sysop&expiry=1%20month&token=123ABC",
     "Add user SomeUser to group sysop, for 1 month."),
)


def _known_groups(ctx: ApiContext, name: str, values: list[str]) -> list[str]:
    groups = sorted(g for g in ctx.settings.group_permissions if g not in IMPLICIT_GROUPS)
    unknown = [v for v in values if v not in groups]
    if unknown:
        ctx.warn_module(ApiMessage.of("unrecognizedvalues", name, ", ".join(unknown), len(unknown),
                                      kind="apiwarn", data={"values": unknown}))
    return [v for v in values if v in groups]


def _expiries(ctx: ApiContext, add: list[str], raw: list[str]) -> dict[str, float | None]:
    if not add:
        return {}
    if len(raw) != len(add):
        if len(raw) != 1:
            raise ApiError("toofewexpiries", len(raw), len(add))
        raw = raw * len(add)
    expiries: dict[str, float | None] = {}
    for group, value in zip(add, raw):
        try:
            expiry = timeutil.parse_expiry(value, now=ctx.now)
        except timeutil.InvalidExpiry:
            raise ApiError("invalidexpiry", value) from None
        if expiry is not None and expiry < ctx.now:
            raise ApiError("pastexpiry", value)
        expiries[group] = expiry
    return expiries


async def _target(ctx: ApiContext, params: dict[str, Any]) -> UserRecord:
    require_one_of(params, "user", "userid")
    name = params["user"]
    users = ctx.services.users
    if name is None or name.startswith("#"):
        user_id = params["userid"] if name is None else int(name[1:])
        record = await users.by_id(user_id)
        if record is None:
            raise ApiError("nosuchuserid", user_id)
        return record
    record = await users.by_name(name)
    if record is None:
        raise ApiError("nosuchuser", name)
    return record


def _metadata(memberships: dict[str, float | None]) -> list[dict[str, Any]]:
    return [{"group": g, "expiry": memberships[g]} for g in sorted(memberships)]


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    add = _known_groups(ctx, "add", params["add"])
    remove = _known_groups(ctx, "remove", params["remove"])
    # Expiries keep their duplicates, one per added group.
    raw_expiry = ctx.request.peek("expiry")
    expiries = _expiries(ctx, add, params["expiry"] if raw_expiry is None else split_multi(raw_expiry))
    target = await _target(ctx, params)
    check_change_tags(params["tags"])
    performer = ctx.user
    changeable = changeable_groups(performer, ctx.settings)
    is_self = target.id == performer.id
    addable = set(changeable["add"]) | (set(changeable["add-self"]) if is_self else set())
    removable = set(changeable["remove"]) | (set(changeable["remove-self"]) if is_self else set())
    now = ctx.now

    def change(connection: Connection) -> tuple[list[str], list[str]]:
        old: dict[str, float | None] = {
            group: expiry for group, expiry in _memberships(connection, target.id) if expiry is None or expiry > now}
        removed = [g for g in dict.fromkeys(remove) if g in removable and g in old]
        added = [g for g in add if g in addable and _adds_something(g, expiries[g], old, removable)]
        new = {g: e for g, e in old.items() if g not in removed}
        new.update({g: expiries[g] for g in added})
        if new == old:
            return added, removed
        _write_groups(connection, target.id, removed, {g: expiries[g] for g in added})
        REPOSITORY.add_log(
            connection, type="rights", action="rights", now=now, user_id=performer.id,
            user_text=performer.name, namespace=NS.USER, title=target.name.replace(" ", "_"), page_id=0,
            comment=params["reason"],
            params={"oldgroups": sorted(old), "newgroups": sorted(new),
                    "oldmetadata": _metadata(old), "newmetadata": _metadata(new)})
        return added, removed

    added, removed = await run_transaction(ctx.services, change)
    return {"userrights": {"user": target.name, "userid": target.id, "added": added, "removed": removed}}


def _memberships(connection: Connection, user_id: int) -> list[tuple[str, float | None]]:
    rows = connection.execute(select(user_groups.c.group, user_groups.c.expiry)
                              .where(user_groups.c.user_id == user_id))
    return [(row.group, row.expiry) for row in rows]


def _write_groups(connection: Connection, user_id: int, removed: list[str], added: dict[str, float | None]) -> None:
    """Drop the removed groups and (re)write the added ones with their new expiries."""
    connection.execute(delete(user_groups).where(user_groups.c.user_id == user_id,
                                                 user_groups.c.group.in_([*removed, *added])))
    if added:
        connection.execute(user_groups.insert(), [
            {"user_id": user_id, "group": group, "expiry": expiry} for group, expiry in added.items()])


def _adds_something(group: str, expiry: float | None, old: dict[str, float | None], removable: set[str]) -> bool:
    """A new group, or a new expiry for a held one (shortening one needs the right to remove it)."""
    if group not in old:
        return True
    current = old[group]
    if current == expiry:
        return False
    shortens = current is None or (expiry is not None and expiry < current)
    return not shortens or group in removable

