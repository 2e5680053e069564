"""list=allusers: the registered accounts in name order."""

from __future__ import annotations

from typing import Any

from wikigate import titles
from wikigate.api.accountinfo import account_props
from wikigate.api.context import ApiContext
from wikigate.api.params import Param, require_max_one_of
from wikigate.config import DEFAULT_GROUP_PERMISSIONS, IMPLICIT_GROUPS

NAME = "allusers"
GROUP = "list"
PREFIX = "au"
DESCRIPTION = "Enumerate all registered users."
PROPS = ("blockinfo", "centralids", "editcount", "groups", "implicitgroups", "registration", "rights")
_GROUPS = tuple(sorted(g for g in DEFAULT_GROUP_PERMISSIONS if g not in IMPLICIT_GROUPS))
_RIGHTS = tuple(sorted({right for rights in DEFAULT_GROUP_PERMISSIONS.values() for right in rights}))
PARAMS = (
    Param("from", "string", help="The user name to start enumerating from."),
    Param("to", "string", help="The user name to stop enumerating at."),
    Param("prefix", "string", help="Search for all users that begin with this value."),
    Param("dir", ("ascending", "descending"), default="ascending", help="Direction to sort in."),
    Param("group", _GROUPS, multi=True, help="Only include users in the given groups."),
    Param("excludegroup", _GROUPS, multi=True, help="Exclude users in the given groups."),
    Param("rights", _RIGHTS, multi=True, help="Only include users with the given rights."),
    Param("prop", PROPS, multi=True, help="Which pieces of information to include."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="How many total user names to return."),
    Param("witheditsonly", "boolean", help="Only list users who have made edits."),
    Param("attachedwiki", "string", help="With prop=centralids, also indicate whether the user is attached "
                                          "with the wiki identified by this ID."),
)
EXAMPLES = (("action=query&list=allusers&aufrom=Y", "List users starting at Y."),)
# The order MediaWiki writes the properties in.
_ORDER = ("centralids", "editcount", "registration", "groups", "implicitgroups", "rights")


def _name(text: str | None) -> str | None:
    # As a user name is written: first letter upper case, spaces for underscores.
    return None if text is None else titles.ucfirst(text.replace("_", " "))


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    require_max_one_of({**params, "group": params["group"] or None, "excludegroup": params["excludegroup"] or None},
                       "group", "excludegroup", prefix=PREFIX)
    groups = list(params["group"])
    if params["rights"]:
        holders = [g for g, rights in ctx.settings.group_permissions.items()
                   if g not in IMPLICIT_GROUPS and set(rights) & set(params["rights"])]
        if not holders:  # no group grants these rights: nobody to list
            query.data["allusers"] = []
            return
        groups = sorted(set(groups) | set(holders))
    limit = params["limit"]
    found = await ctx.services.accounts.directory(
        start=_name(params["from"]), end=_name(params["to"]), prefix=_name(params["prefix"]),
        descending=params["dir"] == "descending", groups=groups, exclude_groups=list(params["excludegroup"]),
        with_edits=params["witheditsonly"], now=ctx.now, limit=limit + 1,
        shown=ctx.services.accounts.hidden_names_for(ctx.user))
    if len(found) > limit:
        query.set_continue("aufrom", found[limit][0].name)
        found = found[:limit]
    props = set(params["prop"])
    items = []
    for record, memberships in found:
        item: dict[str, Any] = {"userid": record.id, "name": record.name}
        item.update(account_props(ctx, record, memberships, props, order=_ORDER))
        items.append(item)
    query.data["allusers"] = items
