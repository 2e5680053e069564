"""User names, following MediaWiki 1.39's rules.

A user name is the text of a page in the User namespace, with extra limits.
Three levels of strictness exist, each including the one before:

* valid: could name a user at all (no IPs, no "/", at most 255 bytes);
* usable: may log in (not a name reserved for maintenance scripts);
* creatable: may be registered now (at most 235 bytes, none of "@:>").
"""

from __future__ import annotations

import re
from enum import StrEnum

from wikigate.titles import NS, InvalidTitle, Namespaces, is_ip, parse_title, ucfirst

__all__ = [
    "INVALID_USERNAME_CHARS",
    "MAX_NAME_BYTES",
    "RESERVED_NAMES",
    "Rigor",
    "canonical_name",
    "is_creatable_name",
    "is_ip",
    "is_usable_name",
    "is_valid_name",
    "looks_like_ip",
]

# $wgMaxNameChars, which despite its name counts bytes.
MAX_NAME_BYTES = 255
# Leaves room for "/common.js" and similar user subpages within 255 bytes.
MAX_CREATABLE_BYTES = 235
# $wgInvalidUsernameCharacters; "@" also separates user@wiki in Special:UserRights.
INVALID_USERNAME_CHARS = "@:>"

# $wgReservedUsernames, with the "msg:" entries resolved to their English text.
RESERVED_NAMES = frozenset({
    "MediaWiki default",
    "Conversion script",
    "Maintenance script",
    "Template namespace initialisation script",
    "ScriptImporter",
    "Delete page script",
    "Move page script",
    "Command line script",
    "Unknown user",
    "Redirect fixer",
    "System messenger",
    "Proxy blocker",
    "DNSBL",
    "MediaWiki spam cleanup",
    "MediaWiki automatic change",
})

# Invisible or confusable characters that titles allow but names must not:
# C1 controls, no-break and other spaces, zero-width and direction marks,
# the ideographic space and the private use area.
_TROUBLE_CHARS = re.compile("[\u0080-\u009f\u00a0\u2000-\u200f\u2028-\u202f\u3000\ue000-\uf8ff]")

# UseMod wikis showed anonymous editors as "1.2.3.xxx"; such names stay
# reserved so nobody can claim those old edits.
_IPV4_LOOKALIKE = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.(?:xxx|[0-9]{1,3})")


class Rigor(StrEnum):
    VALID = "valid"
    USABLE = "usable"
    CREATABLE = "creatable"


def looks_like_ip(name: str) -> bool:
    """Whether a name is, or merely resembles, an IPv4/IPv6 address.

    Wider than `is_ip`: "300.300.300.300" and "1.2.3.xxx" count too.
    """
    return is_ip(name) or _IPV4_LOOKALIKE.fullmatch(name) is not None


def is_valid_name(name: str, ns: Namespaces) -> bool:
    """Whether an already canonical name could belong to a user."""
    if (
        name == ""
        or looks_like_ip(name)
        or "/" in name
        or len(name.encode("utf-8")) > MAX_NAME_BYTES
        or name != ucfirst(name)
    ):
        return False
    # The name must read back as itself, so "Talk:Foo" or "Foo_bar" are out.
    try:
        title = parse_title(name, ns)
    except InvalidTitle:
        return False
    if title.namespace != NS.MAIN or title.text != name:
        return False
    return _TROUBLE_CHARS.search(name) is None


def is_usable_name(name: str, ns: Namespaces) -> bool:
    """Whether an already canonical name may log in."""
    return is_valid_name(name, ns) and name not in RESERVED_NAMES


def is_creatable_name(name: str, ns: Namespaces) -> bool:
    """Whether an already canonical name may be registered."""
    if len(name.encode("utf-8")) > MAX_CREATABLE_BYTES:
        return False
    if any(char in INVALID_USERNAME_CHARS for char in name):
        return False
    return is_usable_name(name, ns)


_CHECKS = {
    Rigor.VALID: is_valid_name,
    Rigor.USABLE: is_usable_name,
    Rigor.CREATABLE: is_creatable_name,
}


def canonical_name(name: str, ns: Namespaces, *, rigor: Rigor | str = Rigor.VALID) -> str | None:
    """The canonical form of a user name typed by someone, or None if unacceptable.

    "alice_smith", " alice smith " and "User:alice smith" all give
    "Alice smith". `rigor` picks how strict to be (see the module docstring).
    """
    check = _CHECKS[Rigor(rigor)]
    name = ucfirst(name)
    # A "#" would be cut off as a fragment and leave a different, valid name.
    if "#" in name:
        return None
    try:
        title = parse_title(name, ns, default_namespace=NS.USER)
    except InvalidTitle:
        return None
    if title.namespace != NS.USER:
        return None
    return title.text if check(title.text, ns) else None
