"""action=unblock: lift a block, named by its id or by what it blocks."""

from __future__ import annotations

from typing import Any

from wikigate.api.blockinfo import block_details
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param, check_change_tags, require_one_of
from wikigate.services.blocks import BlockedPerformer
from wikigate.services.pages import PageError

NAME = "unblock"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Unblock a user."
PARAMS = (
    Param("id", "integer", help="ID of the block to lift (from list=blocks). Cannot be used with user."),
    Param("user", "user", user_ranges=True, help="User to unblock. Cannot be used with id."),
    Param("userid", "integer", deprecated=True, help="Specify user=#ID instead."),
    Param("reason", "string", default="", help="Reason for unblock."),
    Param("tags", "string", multi=True, help="Change tags to apply to the entry in the block log."),
)
EXAMPLES = (
    ("action=unblock&id=105", "Unblock block ID #105."),
    ("action=unblock&user=Bob&reason=Sorry%20Bob", "Unblock user Bob with reason Sorry Bob."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    # Tags are a parameter type in MediaWiki: refused while the parameters are read.
    check_change_tags(params["tags"])
    require_one_of(params, "id", "user", "userid")
    if not ctx.has_right("block"):
        raise ApiError("permissiondenied-unblock", code="permissiondenied")
    name = params["user"]
    if params["userid"] is not None or (name is not None and name.startswith("#")):
        user_id = params["userid"] if name is None else int(name[1:])
        record = await ctx.services.accounts.by_id(user_id)
        if record is None:
            if name is None:
                raise ApiError("nosuchuserid", user_id)
            name = "Unknown user"
        else:
            name = record.name
    try:
        lifted = await ctx.services.blocks.lift(ctx.user, target=name, block_id=params["id"],
                                                reason=params["reason"], now=ctx.now)
    except BlockedPerformer as error:
        denial = error.denials[0]
        data = {"blockinfo": block_details(error.block, ctx.uselang)} if error.block else {}
        raise ApiError(ApiMessage.of(denial.key, code=denial.key, data=data)) from None
    except PageError as error:
        raise api_error(error, ctx.uselang) from None
    return {"unblock": {"id": lifted.id, "user": "" if lifted.is_autoblock else lifted.target,
                        "userid": lifted.user_id, "reason": params["reason"]}}
