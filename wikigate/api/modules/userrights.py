"""action=userrights: add users to groups and remove them, as the performer's rights allow.

Groups the performer may not change are skipped without an error, as in
MediaWiki; the answer lists only the groups actually added and removed.
Any change is written to the rights log, in the same unit as the change
(`Accounts.change_groups`).
"""

from __future__ import annotations

from typing import Any

from wikigate import timeutil
from wikigate.api.blockinfo import refuse_if_blocked_sitewide
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param, check_change_tags, require_one_of, split_multi, unrecognized_values
from wikigate.config import IMPLICIT_GROUPS
from wikigate.services.accounts import Actor
from wikigate.services.rights import changeable_for
from wikigate.services.users import UserRecord

NAME = "userrights"
WRITE = True
TOKEN = "userrights"
DESCRIPTION = "Change a user's group membership."
PARAMS = (
    Param("user", "user", user_ips=False, help="User."),
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
        ctx.warn_module(unrecognized_values(name, ctx.request.get(name) or "", unknown))
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
    accounts = ctx.services.accounts
    if name is None or name.startswith("#"):
        user_id = params["userid"] if name is None else int(name[1:])
        record = await accounts.by_id(user_id)
        if record is None:
            raise ApiError("nosuchuserid", user_id)
        return record
    record = await accounts.find(name)
    if record is None:
        raise ApiError("nosuchuser", name)
    return record


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    if not ctx.has_right("userrights"):
        # Those who may change only some groups may change none while blocked (as Special:UserRights).
        await refuse_if_blocked_sitewide(ctx)
    add = _known_groups(ctx, "add", params["add"])
    remove = _known_groups(ctx, "remove", params["remove"])
    # Expiries keep their duplicates, one per added group.
    raw_expiry = ctx.request.peek("expiry")
    expiries = _expiries(ctx, add, params["expiry"] if raw_expiry is None else split_multi(raw_expiry))
    target = await _target(ctx, params)
    check_change_tags(params["tags"])
    if ctx.request.has("tags") and not ctx.has_right("applychangetags"):
        # Here (unlike in edit) a tags parameter, even an empty one, needs the right to tag.
        raise ApiError("tags-apply-no-permission", code="tags-apply-no-permission")
    performer = ctx.user
    addable, removable = changeable_for(performer, target.id, ctx.settings)
    change = await ctx.services.accounts.change_groups(
        target, Actor(performer.id, performer.name), add={g: expiries[g] for g in add}, remove=remove,
        addable=addable, removable=removable, reason=params["reason"], now=ctx.now)
    return {"userrights": {"user": target.name, "userid": target.id, "added": change.added,
                           "removed": change.removed}}
