"""Group changes and rate limits as a user's groups and rights allow them."""

from __future__ import annotations

from typing import Any

from wikigate.config import IMPLICIT_GROUPS, Settings
from wikigate.services.users import User


def changeable_groups(user: User, settings: Settings) -> dict[str, list[str]]:
    """Which groups this user may add or remove ($wgAddGroups & co., or everything with `userrights`)."""
    all_groups = [g for g in settings.group_permissions if g not in IMPLICIT_GROUPS]
    if user.has_right("userrights"):
        return {"add": all_groups, "remove": all_groups, "add-self": [], "remove-self": []}
    result: dict[str, list[str]] = {"add": [], "remove": [], "add-self": [], "remove-self": []}
    for key, table in (("add", settings.add_groups), ("remove", settings.remove_groups),
                       ("add-self", settings.groups_add_to_self),
                       ("remove-self", settings.groups_remove_from_self)):
        for group in user.groups:
            for target in table.get(group, ()):
                if target not in result[key]:
                    result[key].append(target)
    return result


def changeable_for(performer: User, target_id: int, settings: Settings) -> tuple[set[str], set[str]]:
    """The groups `performer` may add to and remove from an account; on their own account the
    -self tables ($wgGroupsAddToSelf, $wgGroupsRemoveFromSelf) count too."""
    changeable = changeable_groups(performer, settings)
    own = target_id == performer.id
    return (set(changeable["add"]) | (set(changeable["add-self"]) if own else set()),
            set(changeable["remove"]) | (set(changeable["remove-self"]) if own else set()))


def rate_limit_categories(user: User) -> list[str]:
    """The $wgRateLimits categories that apply to a user.

    Address-based limits (`ip`, `subnet`) bind only newcomers: anonymous users
    and accounts without `autoconfirmed`, as in MediaWiki's pingLimiter.
    """
    if user.is_anon:
        return ["ip", "subnet", "anon"]
    categories = ["user"]
    if not user.has_right("autoconfirmed"):
        categories = ["ip", "subnet", "user", "newbie"]
    # Group names double as categories; `user` is both, and must count once.
    return list(dict.fromkeys([*categories, *user.groups]))


def rate_limits_for(user: User, settings: Settings) -> dict[str, Any]:
    """What meta=userinfo reports: the limits of the categories the user is in."""
    limits: dict[str, Any] = {}
    categories = rate_limit_categories(user)
    for action, by_category in settings.rate_limits.items():
        for category, (hits, seconds) in by_category.items():
            if category in categories:
                limits.setdefault(action, {})[category] = {"hits": hits, "seconds": seconds}
    return limits
