"""What list=allusers and list=users tell about an account: groups, rights, counts, central ids."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.config import IMPLICIT_GROUPS
from wikigate.services.users import GroupMembership, UserRecord, build_user
from wikigate.timeutil import to_iso


def account_props(ctx: ApiContext, record: UserRecord, memberships: list[GroupMembership], props: set[str],
                  *, order: tuple[str, ...], block: dict[str, Any] | None = None) -> dict[str, Any]:
    """The properties asked for, in the order the module writes them; `block` describes the
    account's own block, if it has one (for blockinfo)."""
    user = build_user(record, memberships, ctx.settings, ctx.now, ip="")
    values: dict[str, Any] = {
        "centralids": {"centralids": {"local": record.id}, "attachedlocal": {"local": True}},
        "editcount": {"editcount": record.editcount},
        "registration": {"registration": to_iso(record.registration) if record.registration else ""},
        "groups": {"groups": list(user.groups)},
        "groupmemberships": {"groupmemberships": [
            {"group": m.group, "expiry": to_iso(m.expiry) if m.expiry else "infinity"} for m in memberships]},
        "implicitgroups": {"implicitgroups": [g for g in user.groups if g in IMPLICIT_GROUPS]},
        "rights": {"rights": list(user.rights_order)},
        "emailable": {"emailable": bool(record.email and record.email_authenticated)},
        "gender": {"gender": "unknown"},
        "blockinfo": block or {},
    }
    found: dict[str, Any] = {}
    for name in order:
        if name in props and name in values:
            found.update(values[name])
    return found
