"""Who may edit, create or protect a page: MediaWiki's permission checks.

`permission_errors` runs the checks in MediaWiki's order and returns every
error found (the API reports the first, and lists all codes in its header):

1. the right for the action itself (`edit`, `protect`; for `create`,
   `createpage` or `createtalk`; for `move` and `move-target`, `move` and the
   rights for root user pages, files and categories);
2. special pages and the MediaWiki namespace (which needs `editinterface`);
3. the page's own restrictions for the action, where a level names a right
   (`autoconfirmed` means `editsemiprotected`, `sysop` means `editprotected`)
   and a cascading protection also needs `protect`;
4. restrictions cascading from pages that transclude this one;
5. per action: protecting needs being able to edit, editing a missing page
   needs being able to create it, creating needs clearing the title's
   create protection, undeleting needs being able to edit (and create),
   deleting needs being able to edit past protection, and nothing moves
   out of or into Special: and Media:.

The checks read a `PageState` loaded beforehand with only unexpired
protections in it, so they are pure and cheap to test.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikigate.config import Settings
from wikigate.messages import Message
from wikigate.services.blocking import ActiveBlock
from wikigate.services.users import User
from wikigate.store.pages import PageRecord, Restriction, TitleProtection
from wikigate.titles import NS, SUBPAGE_NAMESPACES, Title

# Old level names that stand for rights (MediaWiki keeps them for compatibility).
_LEVEL_RIGHTS = {"sysop": "editprotected", "autoconfirmed": "editsemiprotected"}
# How badaccess-groups names a group: its member page and plural label.
GROUP_LABELS = {
    "sysop": "Administrators", "bureaucrat": "Bureaucrats", "bot": "Bots",
    "interface-admin": "Interface administrators", "suppress": "Suppressors", "user": "Users",
    "autoconfirmed": "Autoconfirmed users", "*": "All users",
}


@dataclass(frozen=True, slots=True)
class Denial:
    """One reason for refusing: a message key (MediaWiki's) and its parameters."""

    key: str
    params: tuple[object, ...] = ()
    code: str | None = None  # when the API code is not derived from the key
    block: ActiveBlock | None = None  # the block behind a `blocked` refusal, which the API describes


def level_right(level: str) -> str:
    """The right a protection level requires."""
    return _LEVEL_RIGHTS.get(level, level)


@dataclass(frozen=True, slots=True)
class CascadeSource:
    """A cascade-protected page that transcludes the checked page."""

    title: Title
    restriction: Restriction


@dataclass(frozen=True, slots=True)
class PageState:
    """What the checks need to know about one title, as of one instant."""

    title: Title
    page: PageRecord | None
    restrictions: tuple[Restriction, ...] = ()
    title_protection: TitleProtection | None = None
    cascade_sources: tuple[CascadeSource, ...] = ()

    @property
    def exists(self) -> bool:
        return self.page is not None

    def levels(self, action: str) -> list[str]:
        """The levels guarding an action; a missing title's create protection counts as `create`."""
        if action == "create" and not self.exists and self.title_protection is not None:
            return [self.title_protection.level]
        return [r.level for r in self.restrictions if r.type == action and r.level]

    @property
    def cascading(self) -> bool:
        return any(r.cascade for r in self.restrictions)


def usable_levels(user: User | None, settings: Settings) -> list[str]:
    """Protection levels a user may set: those whose right they hold ('' always)."""
    return [level for level in settings.restriction_levels
            if level == "" or user is None or user.has_right(level_right(level))]


def applicable_types(title: Title, exists: bool, settings: Settings) -> list[str]:
    """Restriction types that make sense for a title (MediaWiki's listApplicableRestrictionTypes)."""
    if not title.can_exist:
        return []
    if exists:
        types = [t for t in settings.restriction_types if t != "create"]
    else:
        types = [t for t in settings.restriction_types if t in ("create", "upload")]
    if title.namespace != NS.FILE:
        types = [t for t in types if t != "upload"]
    return types


def missing_right_error(right: str, settings: Settings) -> Denial:
    groups = [g for g, rights in settings.group_permissions.items() if right in rights]
    if not groups:
        return Denial("badaccess-group0")
    sitename = settings.sitename
    links = [Message("", (), fallback=f"[[{sitename}:{GROUP_LABELS.get(g, g)}|{GROUP_LABELS.get(g, g)}]]")
             for g in groups]
    return Denial("badaccess-groups", (tuple(links), len(groups)))


def permission_errors(action: str, user: User, state: PageState, settings: Settings, *,
                      block: ActiveBlock | None, short: bool = False) -> list[Denial]:
    """Every reason the user may not do `action` (edit, create, protect) to the title; `block` is
    what blocks the user's request (services.blocking.active_block), checked last as in MediaWiki."""
    errors: list[Denial] = []
    steps = [_quick, _namespace, _user_config, _page_restrictions, _cascading, _per_action]
    if action == "create":
        steps.remove(_namespace)
    for step in steps:
        for error in step(action, user, state, settings, block):
            if error not in errors:
                errors.append(error)
        if short and errors:
            return errors[:1]
    if block is not None and _block_applies(action, block, settings) and block.stops(
            user, state.title, state.page.id if state.page else 0):
        denial = Denial(block.message_key(), block=block)
        if denial not in errors:
            errors.append(denial)
    return errors[:1] if short else errors


# Actions a block leaves alone (MediaWiki: appliesToRight() is false, or the action's class does
# not require being unblocked), and those it stops only with one of its flags.
_UNBLOCKED_ACTIONS = frozenset({"read", "purge", "unblock", "info", "history", "raw", "watch", "unwatch"})


def _block_applies(action: str, block: ActiveBlock, settings: Settings) -> bool:
    if action in _UNBLOCKED_ACTIONS:
        # Where blocks disable logins they also stop reading (everything anonymous users may do
        # stays open to blocked ones otherwise).
        return action in ("read", "purge") and settings.block_disables_login
    if action == "createaccount":
        return block.create_account
    if action == "sendemail":
        return block.block_email
    if action == "upload":
        return block.sitewide
    return True


def _is_root_user_page(title: Title) -> bool:
    return title.namespace == NS.USER and not (NS.USER in SUBPAGE_NAMESPACES and "/" in title.text)


def _quick(action: str, user: User, state: PageState, settings: Settings,
           block: ActiveBlock | None = None) -> list[Denial]:
    title = state.title
    if action == "move":
        errors = []
        if _is_root_user_page(title) and not user.has_right("move-rootuserpages"):
            errors.append(Denial("cant-move-user-page"))
        if title.namespace == NS.FILE and not user.has_right("movefile"):
            errors.append(Denial("movenotallowedfile"))
        if title.namespace == NS.CATEGORY and not user.has_right("move-categorypages"):
            errors.append(Denial("cant-move-category-page"))
        if not user.has_right("move"):
            # Anonymous users are told to log in when an account would do.
            can_with_account = any("move" in settings.group_permissions.get(group, ())
                                   for group in ("user", "autoconfirmed"))
            errors.append(Denial("movenologintext" if user.is_anon and can_with_account else "movenotallowed"))
        return errors
    if action == "move-target":
        if not user.has_right("move"):
            return [Denial("movenotallowed")]
        if _is_root_user_page(title) and not user.has_right("move-rootuserpages"):
            return [Denial("cant-move-to-user-page")]
        if title.namespace == NS.CATEGORY and not user.has_right("move-categorypages"):
            return [Denial("cant-move-to-category-page")]
        return []
    if action == "create":
        right = "createtalk" if state.title.is_talk else "createpage"
        if not user.has_right(right):
            return [Denial("nocreatetext" if user.is_anon else "nocreate-loggedin")]
        return []
    if not user.has_right(action):
        return [missing_right_error(action, settings)]
    return []


def _namespace(action: str, user: User, state: PageState, settings: Settings,
               block: ActiveBlock | None = None) -> list[Denial]:
    title = state.title
    if title.is_special:
        return [Denial("ns-specialprotected", code="unsupportednamespace")]
    if title.namespace == NS.MEDIAWIKI and not user.has_right("editinterface"):
        return [Denial("protectedinterface", (action,), code="protectednamespace-interface")]
    return []


# A user's own CSS, JSON and JavaScript subpages (User:Name/common.js …) run in their browser:
# only they, with the editmyuser* right, or interface admins, with edituser*, may change them.
_USER_CONFIG = {".css": "css", ".json": "json", ".js": "js"}


def _user_config(action: str, user: User, state: PageState, settings: Settings,
                 block: ActiveBlock | None = None) -> list[Denial]:
    title = state.title
    if action == "patrol" or title.namespace != NS.USER or "/" not in title.text:
        return []
    kind = next((kind for suffix, kind in _USER_CONFIG.items() if title.text.endswith(suffix)), None)
    if kind is None:
        return []
    if title.text.startswith(f"{user.name}/"):
        if user.has_right(f"editmyuser{kind}") or user.has_right(f"edituser{kind}"):
            return []
        return [Denial(f"mycustom{kind}protected", (action,))]
    # Deleting cannot be an attack, and must stay open to those who clean up after one.
    if action == "delete" or user.has_right(f"edituser{kind}"):
        return []
    return [Denial(f"custom{kind}protected", (action,))]


def _page_restrictions(action: str, user: User, state: PageState, settings: Settings,
                       block: ActiveBlock | None = None) -> list[Denial]:
    errors = []
    for level in state.levels(action):
        right = level_right(level)
        if not user.has_right(right):
            errors.append(Denial("protectedpagetext", (right, action)))
        elif state.cascading and not user.has_right("protect"):
            errors.append(Denial("protectedpagetext", ("protect", action)))
    return errors


def _cascading(action: str, user: User, state: PageState, settings: Settings,
               block: ActiveBlock | None = None) -> list[Denial]:
    sources = state.cascade_sources
    levels = list(dict.fromkeys(s.restriction.level for s in sources if s.restriction.type == action))
    errors = []
    for level in levels:
        right = level_right(level)
        if right and not (user.has_right("protect") and user.has_right(right)):
            pages = "".join(f"* [[:{s.title.prefixed_text}]]\n" for s in sources)
            errors.append(Denial("cascadeprotected", (len(sources), pages, action)))
    return errors


def _per_action(action: str, user: User, state: PageState, settings: Settings,
                block: ActiveBlock | None = None) -> list[Denial]:
    if action == "protect":
        if permission_errors("edit", user, state, settings, block=block, short=True):
            return [Denial("protect-cantedit")]
        return []
    if action == "create":
        protection = state.title_protection
        if protection is not None and (not protection.level or not user.has_right(level_right(protection.level))):
            return [Denial("titleprotected", (protection.user_name, protection.reason))]
        return []
    if action == "edit" and not state.exists:
        return permission_errors("create", user, state, settings, block=block, short=True)
    if action in ("move", "move-target") and state.title.namespace < 0:
        which = "source" if action == "move" else "target"
        return [Denial(f"immobile-{which}-namespace", (state.title.ns_text,))]
    if action == "delete":
        # Those whom protection keeps from editing a page may not delete it either.
        blocked = _page_restrictions("edit", user, state, settings) or _cascading("edit", user, state, settings)
        return [Denial("deleteprotected")] if blocked else []
    if action == "undelete":
        # Restoring a page is editing it, and where none is now, creating it.
        errors = []
        if permission_errors("edit", user, state, settings, block=block, short=True):
            errors.append(Denial("undelete-cantedit"))
        if not state.exists and permission_errors("create", user, state, settings, block=block, short=True):
            errors.append(Denial("undelete-cantcreate"))
        return errors
    return []
