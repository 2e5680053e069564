"""Who is making the request: the user, their groups and their rights."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from wikigate.config import IMPLICIT_GROUPS, Settings
from wikigate.store.users import GroupMembership, UserRecord


@dataclass(frozen=True, slots=True)
class User:
    """A user as the API sees it; id 0 is an anonymous user named by IP."""

    id: int
    name: str
    record: UserRecord | None = None
    memberships: tuple[GroupMembership, ...] = ()
    groups: tuple[str, ...] = ("*",)
    rights: frozenset[str] = frozenset()
    rights_order: tuple[str, ...] = ()
    # Set for a bot-password session: the app id and its grants restrict the rights.
    bot_app_id: str | None = None
    grants: tuple[str, ...] = field(default=())
    # The address the request came from: blocks of addresses and ranges, and autoblocks, need it.
    ip: str = ""
    # Set for a request made with OAuth credentials: the consumer's id (its grants are in `grants`).
    oauth_consumer: int | None = None

    @property
    def is_anon(self) -> bool:
        return self.id == 0

    def has_right(self, right: str) -> bool:
        return right in self.rights

    def with_oauth(self, consumer_id: int, grants: tuple[str, ...], rights: tuple[str, ...]) -> User:
        """The same user acting through an OAuth consumer: only the rights its grants allow."""
        return replace(self, oauth_consumer=consumer_id, grants=grants, rights=frozenset(rights),
                       rights_order=rights)


def effective_groups(record: UserRecord | None, memberships: list[GroupMembership] | tuple[GroupMembership, ...],
                     settings: Settings, now: float) -> tuple[str, ...]:
    """Stored unexpired groups (sorted), then the implicit ones, as MediaWiki lists them."""
    if record is None:
        return ("*",)
    explicit = sorted(m.group for m in memberships if m.expiry is None or m.expiry > now)
    implicit = ["*", "user"]
    age = now - (record.registration or now)
    if age >= settings.autoconfirm_age and record.editcount >= settings.autoconfirm_count:
        implicit.append("autoconfirmed")
    return tuple(dict.fromkeys([*explicit, *implicit]))


def rights_for_groups(groups: tuple[str, ...], settings: Settings) -> tuple[str, ...]:
    """Rights in MediaWiki's order: group by group, first occurrence wins, revocations last."""
    ordered: dict[str, None] = {}
    for group in groups:
        for right in settings.group_permissions.get(group, ()):
            ordered.setdefault(right)
    for group in groups:
        for right in settings.revoke_permissions.get(group, ()):
            ordered.pop(right, None)
    return tuple(ordered)


def restrict_to_grants(rights: tuple[str, ...], grants: tuple[str, ...], settings: Settings) -> tuple[str, ...]:
    """A bot-password session keeps only rights its grants allow (plus the implicit `basic`)."""
    allowed: set[str] = set()
    for grant in ("basic", *grants):
        allowed.update(settings.grant_permissions.get(grant, ()))
    return tuple(right for right in rights if right in allowed)


def build_user(record: UserRecord | None, memberships: list[GroupMembership], settings: Settings, now: float,
               *, ip: str, bot_app_id: str | None = None, grants: tuple[str, ...] = ()) -> User:
    groups = effective_groups(record, memberships, settings, now)
    rights = rights_for_groups(groups, settings)
    if bot_app_id is not None:
        rights = restrict_to_grants(rights, grants, settings)
    if record is None:
        return User(id=0, name=ip, groups=groups, rights=frozenset(rights), rights_order=rights, ip=ip)
    return User(
        id=record.id, name=record.name, record=record, memberships=tuple(memberships), groups=groups,
        rights=frozenset(rights), rights_order=rights, bot_app_id=bot_app_id, grants=grants, ip=ip,
    )


__all__ = ["GroupMembership", "User", "UserRecord", "build_user", "effective_groups", "rights_for_groups", "restrict_to_grants", "IMPLICIT_GROUPS"]
