"""Page titles and namespaces, following MediaWiki 1.39's rules.

A title is a namespace number plus a "dbkey": the page name with underscores
for spaces and the first letter upper-cased. `parse_title` turns user input
into a `Title` or raises `InvalidTitle` with the message key MediaWiki reports
as `invalidreason` (for example `title-invalid-characters`).

This wiki has no interwiki prefixes, so an unknown prefix such as `foo:` is
simply part of a main-namespace page name.
"""

from __future__ import annotations

import html.entities
import ipaddress
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from types import MappingProxyType


class NS(IntEnum):
    """MediaWiki's built-in namespace numbers."""

    MEDIA = -2
    SPECIAL = -1
    MAIN = 0
    TALK = 1
    USER = 2
    USER_TALK = 3
    PROJECT = 4
    PROJECT_TALK = 5
    FILE = 6
    FILE_TALK = 7
    MEDIAWIKI = 8
    MEDIAWIKI_TALK = 9
    TEMPLATE = 10
    TEMPLATE_TALK = 11
    HELP = 12
    HELP_TALK = 13
    CATEGORY = 14
    CATEGORY_TALK = 15


# $wgLegalTitleChars as siteinfo reports it: a regex character class body.
LEGAL_TITLE_CHARS = " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+"

MAX_TITLE_BYTES = 255
# Special pages are never stored, and Special:Block/<long user name> must fit.
MAX_SPECIAL_TITLE_BYTES = 512


class InvalidReason(StrEnum):
    """Message keys MediaWiki gives as `invalidreason` for a bad title."""

    EMPTY = "title-invalid-empty"
    UTF8 = "title-invalid-utf8"
    TALK_NAMESPACE = "title-invalid-talk-namespace"
    CHARACTERS = "title-invalid-characters"
    RELATIVE = "title-invalid-relative"
    MAGIC_TILDE = "title-invalid-magic-tilde"
    TOO_LONG = "title-invalid-too-long"
    LEADING_COLON = "title-invalid-leading-colon"


class InvalidTitle(ValueError):
    """The text is not a valid page title.

    `params` are the message parameters: the offending characters for
    `title-invalid-characters`, the byte limit for `title-invalid-too-long`.
    """

    def __init__(self, code: InvalidReason, text: str, params: tuple[str | int, ...] = ()) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text
        self.params = params


# ---------------------------------------------------------------------------
# Namespaces


@dataclass(frozen=True, slots=True)
class Namespace:
    """One namespace, with the fields siteinfo reports for it."""

    id: int
    name: str
    canonical: str
    subpages: bool
    content: bool
    nonincludable: bool = False
    # The right needed to edit any page here ($wgNamespaceProtection).
    protection: str | None = None
    case: str = "first-letter"


# 1.39 canonical names; the Project pair is shown under the site's name.
_CANONICAL_NAMES = {
    NS.MEDIA: "Media",
    NS.SPECIAL: "Special",
    NS.MAIN: "",
    NS.TALK: "Talk",
    NS.USER: "User",
    NS.USER_TALK: "User talk",
    NS.PROJECT: "Project",
    NS.PROJECT_TALK: "Project talk",
    NS.FILE: "File",
    NS.FILE_TALK: "File talk",
    NS.MEDIAWIKI: "MediaWiki",
    NS.MEDIAWIKI_TALK: "MediaWiki talk",
    NS.TEMPLATE: "Template",
    NS.TEMPLATE_TALK: "Template talk",
    NS.HELP: "Help",
    NS.HELP_TALK: "Help talk",
    NS.CATEGORY: "Category",
    NS.CATEGORY_TALK: "Category talk",
}

# $wgNamespacesWithSubpages defaults in 1.39.
SUBPAGE_NAMESPACES = frozenset({
    NS.TALK, NS.USER, NS.USER_TALK, NS.PROJECT, NS.PROJECT_TALK, NS.FILE_TALK,
    NS.MEDIAWIKI, NS.MEDIAWIKI_TALK, NS.TEMPLATE, NS.TEMPLATE_TALK,
    NS.HELP, NS.HELP_TALK, NS.CATEGORY_TALK,
})

_CONTENT_NAMESPACES = frozenset({NS.MAIN})

# Old names kept working after the Image namespace became File.
_ALIASES = {"Image": NS.FILE, "Image talk": NS.FILE_TALK}


def _name_key(name: str) -> str:
    """Lookup key for a namespace prefix: case and space/underscore blind."""
    return name.replace("_", " ").lower()


class Namespaces:
    """The namespace table of one wiki, ordered by id."""

    def __init__(self, entries: list[Namespace], aliases: Mapping[str, int]) -> None:
        self._by_id = {entry.id: entry for entry in sorted(entries, key=lambda e: e.id)}
        self.aliases: Mapping[str, int] = MappingProxyType(dict(aliases))
        keys: dict[str, int] = {}
        for entry in self._by_id.values():
            if entry.id != NS.MAIN:
                keys[_name_key(entry.canonical)] = entry.id
                keys[_name_key(entry.name)] = entry.id
        for alias, ns_id in self.aliases.items():
            keys[_name_key(alias)] = ns_id
        self._ids_by_key = keys

    def __iter__(self) -> Iterator[Namespace]:
        return iter(self._by_id.values())

    def __getitem__(self, ns_id: int) -> Namespace:
        return self._by_id[ns_id]

    def __contains__(self, ns_id: object) -> bool:
        return ns_id in self._by_id

    def index(self, name: str) -> int | None:
        """The id of a namespace name, canonical name or alias, if any."""
        return self._ids_by_key.get(_name_key(name))

    def title(self, namespace: int, dbkey: str) -> Title:
        """A `Title` for an already-normalised pair, such as a stored row."""
        return Title(namespace, dbkey, self[namespace].name)


def namespaces(sitename: str) -> Namespaces:
    """The 1.39 default namespaces of a wiki called `sitename`."""
    project = sitename.replace("_", " ")
    local_names = dict(_CANONICAL_NAMES)
    local_names[NS.PROJECT] = project
    local_names[NS.PROJECT_TALK] = f"{project} talk"
    entries = [
        Namespace(
            id=int(ns_id),
            name=local_names[ns_id],
            canonical=canonical,
            subpages=ns_id in SUBPAGE_NAMESPACES,
            content=ns_id in _CONTENT_NAMESPACES,
            protection="editinterface" if ns_id == NS.MEDIAWIKI else None,
        )
        for ns_id, canonical in _CANONICAL_NAMES.items()
    ]
    return Namespaces(entries, _ALIASES)


# ---------------------------------------------------------------------------
# Titles


@dataclass(frozen=True, slots=True)
class Title:
    """A normalised page title.

    `ns_text` is the namespace's local name, carried along so the title can
    print itself; equality and hashing use only (namespace, dbkey).
    """

    namespace: int
    dbkey: str
    ns_text: str = field(compare=False, repr=False)

    @property
    def text(self) -> str:
        return self.dbkey.replace("_", " ")

    @property
    def prefixed_text(self) -> str:
        if not self.ns_text:
            return self.text
        return f"{self.ns_text}:{self.text}"

    @property
    def prefixed_dbkey(self) -> str:
        return self.prefixed_text.replace(" ", "_")

    @property
    def is_special(self) -> bool:
        """Special: and Media: titles name no stored page."""
        return self.namespace < 0

    @property
    def can_exist(self) -> bool:
        """Whether a page may be stored under this title.

        False for Special:/Media: and for a bare fragment such as "#top",
        which parses to an empty main-namespace title.
        """
        return self.namespace >= 0 and self.dbkey != ""

    @property
    def is_talk(self) -> bool:
        return self.namespace > 0 and self.namespace % 2 == 1

    @property
    def subject_namespace(self) -> int:
        if self.namespace < 0:
            return self.namespace
        return self.namespace & ~1

    @property
    def talk_namespace(self) -> int | None:
        if self.namespace < 0:
            return None
        return self.namespace | 1


_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]+")

# Underscore, space and the Unicode spaces MediaWiki treats as one separator.
_WHITESPACE_RUN = re.compile(
    "[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
)

# "Prefix:rest", splitting at the first colon, with spaces around it ignored.
_PREFIXED = re.compile(r"(.+?)_*:_*(.*)")

# Anything outside the legal set, plus %-escapes and character references,
# which would not survive a round trip through a URL or wikitext.
_ILLEGAL = re.compile(
    r"[^ %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~+\u0080-\U0010ffff]"
    r"|%[0-9A-Fa-f]{2}"
    r"|&[A-Za-z0-9\u0080-\U0010ffff]+;"
)

_CHAR_REFERENCE = re.compile(
    r"&([A-Za-z0-9\u0080-\U0010ffff]+;)|&#([0-9]+);|&#[xX]([0-9A-Fa-f]+);"
)

# Two MediaWiki-only spellings of &rlm; used in right-to-left wikis.
_EXTRA_ENTITIES = {"\u05e8\u05dc\u05de;": "rlm;", "\u0631\u0644\u0645;": "rlm;"}


def _is_allowed_codepoint(code: int) -> bool:
    """Code points a numeric reference may produce (valid in HTML and XML)."""
    return (
        code in (0x09, 0x0A)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _decode_reference(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        name = _EXTRA_ENTITIES.get(name, name)
        return html.entities.html5.get(name, "&" + name)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    # A bad code point becomes U+FFFD, which the UTF-8 check then rejects.
    return chr(code) if _is_allowed_codepoint(code) else "\ufffd"


def decode_char_references(text: str) -> str:
    """Replace HTML character references (&eacute; &#233; &#xE9;) by their text.

    Titles accept these so that "Caf&eacute;" and "Café" name the same page.
    Unknown entity names are left as they are.
    """
    return _CHAR_REFERENCE.sub(_decode_reference, text)


def _is_relative_path(dbkey: str) -> bool:
    """Whether a browser would resolve the title as a relative URL path."""
    return (
        dbkey in (".", "..")
        or dbkey.startswith(("./", "../"))
        or "/./" in dbkey
        or "/../" in dbkey
        or dbkey.endswith(("/.", "/.."))
    )


def _has_bad_unicode(text: str) -> bool:
    """Whether text holds what MediaWiki's input cleaning turns into U+FFFD.

    That is undecodable bytes (already U+FFFD), lone surrogates, and C0
    control characters other than tab, newline and carriage return.
    """
    return any(
        char == "\ufffd"
        or "\ud800" <= char <= "\udfff"
        or (char < " " and char not in "\t\n\r")
        for char in text
    )


def ucfirst(text: str) -> str:
    """Upper-case the first character, as PHP's mb_strtoupper does it.

    This is a full case mapping, so one character may become several:
    "ß" becomes "SS".
    """
    return text[:1].upper() + text[1:]


def parse_title(text: str, ns: Namespaces, *, default_namespace: int = NS.MAIN) -> Title:
    """Normalise user input into a `Title`, or raise `InvalidTitle`.

    A "#fragment" is dropped. Special: and Media: titles parse normally;
    check `Title.can_exist` before storing anything under a title.
    """
    # Request parameters reach MediaWiki in NFC; do the same for direct callers.
    cleaned = unicodedata.normalize("NFC", decode_char_references(text))
    cleaned = _BIDI_MARKS.sub("", cleaned)
    if _has_bad_unicode(cleaned):
        raise InvalidTitle(InvalidReason.UTF8, text)
    dbkey = _WHITESPACE_RUN.sub("_", cleaned).strip("_")

    namespace = default_namespace
    # A leading colon overrides the default namespace, so ":Foo" is a main
    # namespace page even where a bare "Foo" would mean User:Foo.
    if dbkey.startswith(":"):
        namespace = NS.MAIN
        dbkey = dbkey[1:].strip("_")
    if dbkey == "":
        raise InvalidTitle(InvalidReason.EMPTY, text)

    split = _PREFIXED.fullmatch(dbkey)
    if split is not None:
        prefix_ns = ns.index(split[1])
        if prefix_ns is not None:
            namespace, dbkey = prefix_ns, split[2]
            if namespace == NS.TALK and _names_namespace(dbkey, ns):
                # "Talk:File:X" would be the talk page of a talk-less title.
                raise InvalidTitle(InvalidReason.TALK_NAMESPACE, text)

    dbkey = dbkey.partition("#")[0].rstrip("_")

    illegal = _ILLEGAL.search(dbkey)
    if illegal is not None:
        raise InvalidTitle(InvalidReason.CHARACTERS, text, (illegal[0],))
    if "." in dbkey and _is_relative_path(dbkey):
        raise InvalidTitle(InvalidReason.RELATIVE, text)
    # Three tildes would turn into a signature when the title is saved in wikitext.
    if "~~~" in dbkey:
        raise InvalidTitle(InvalidReason.MAGIC_TILDE, text)
    limit = MAX_SPECIAL_TITLE_BYTES if namespace == NS.SPECIAL else MAX_TITLE_BYTES
    if len(dbkey.encode("utf-8")) > limit:
        raise InvalidTitle(InvalidReason.TOO_LONG, text, (limit,))

    dbkey = ucfirst(dbkey)
    if dbkey == "" and namespace != NS.MAIN:
        raise InvalidTitle(InvalidReason.EMPTY, text)
    if namespace in (NS.USER, NS.USER_TALK):
        # One spelling per IP address, so an anonymous user has one user page.
        dbkey = sanitize_ip(dbkey)
    if dbkey.startswith(":"):
        raise InvalidTitle(InvalidReason.LEADING_COLON, text)
    return Title(namespace, dbkey, ns[namespace].name)


def _names_namespace(dbkey: str, ns: Namespaces) -> bool:
    """Whether `dbkey` starts with a (non-main) namespace prefix."""
    split = _PREFIXED.fullmatch(dbkey)
    return split is not None and ns.index(split[1]) is not None


# ---------------------------------------------------------------------------
# IP addresses. They live here because User: titles spell them canonically;
# `wikigate.usernames` builds its checks on them.

_IPV4_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|0?[0-9]?[0-9])"
_IPV4 = re.compile(rf"{_IPV4_OCTET}(?:\.{_IPV4_OCTET}){{3}}")
_IPV4_CIDR = re.compile(rf"({_IPV4.pattern})(?:/(3[0-2]|[12][0-9]|[0-9]))?")
_IPV6_CIDR = re.compile(r"([0-9A-Fa-f:]+)(?:/(12[0-8]|1[01][0-9]|[1-9][0-9]|[0-9]))?")


def _ipv6_address(text: str) -> ipaddress.IPv6Address | None:
    """Parse hex-and-colon IPv6 only: MediaWiki has no dotted-quad tail form."""
    if not re.fullmatch(r"[0-9A-Fa-f:]+", text):
        return None
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        return None


def is_ip(text: str) -> bool:
    """Whether `text` is a single IPv4 or IPv6 address (no range).

    IPv4 octets may carry up to one leading zero ("01.2.3.4"), as MediaWiki allows.
    """
    return _IPV4.fullmatch(text) is not None or _ipv6_address(text) is not None


def sanitize_ip(text: str) -> str:
    """The canonical spelling of an IP address or range; other text unchanged.

    IPv4 loses leading zeros; IPv6 is written out as eight upper-case groups
    without leading zeros ("::1" becomes "0:0:0:0:0:0:0:1").
    """
    if match := _IPV4_CIDR.fullmatch(text):
        address = ".".join(str(int(octet)) for octet in match[1].split("."))
        return address if match[2] is None else f"{address}/{match[2]}"
    match = _IPV6_CIDR.fullmatch(text)
    if match is None:
        return text
    address6 = _ipv6_address(match[1])
    if address6 is None:
        return text
    groups = ":".join(format(int(group, 16), "X") for group in address6.exploded.split(":"))
    return groups if match[2] is None else f"{groups}/{match[2]}"


def is_ip_range(text: str) -> bool:
    """Whether `text` is an IPv4 or IPv6 range in CIDR notation ("192.0.2.0/24")."""
    address, slash, bits = text.partition("/")
    return bool(slash) and is_ip(address) and ip_range(text) is not None


def ip_range(text: str) -> tuple[int, int] | None:
    """The IP version and prefix length of a CIDR range, or None when it is not one."""
    for pattern, version in ((_IPV4_CIDR, 4), (_IPV6_CIDR, 6)):
        match = pattern.fullmatch(text)
        if match and match[2] is not None and (version == 4 or _ipv6_address(match[1]) is not None):
            return version, int(match[2])
    return None


def sanitize_range(text: str) -> str:
    """A range as MediaWiki names it: its first address (host bits cleared), then the prefix."""
    if ip_range(text) is None:
        return sanitize_ip(text)
    network = ipaddress.ip_network(sanitize_ip(text), strict=False)
    return sanitize_ip(f"{network.network_address}/{network.prefixlen}")


def ip_hex(address: str) -> str:
    """An address as MediaWiki's IPUtils::toHex writes it, so that string order is address order
    within a version: eight hex digits for IPv4, "v6-" and thirty-two for IPv6."""
    parsed = ipaddress.ip_address(sanitize_ip(address).replace("X", "x"))
    if parsed.version == 4:
        return format(int(parsed), "08X")
    return "v6-" + format(int(parsed), "032X")


def range_hex(text: str) -> tuple[str, str]:
    """The first and last address of a range (or of a single address) as `ip_hex` writes them."""
    if ip_range(text) is None:
        return ip_hex(text), ip_hex(text)
    network = ipaddress.ip_network(sanitize_ip(text), strict=False)
    return ip_hex(str(network.network_address)), ip_hex(str(network.broadcast_address))


def hex_ip(value: str) -> str:
    """The address `ip_hex` wrote (MediaWiki's IPUtils::formatHex); an empty value reads as 0.0.0.0."""
    if value.startswith("v6-"):
        return sanitize_ip(str(ipaddress.IPv6Address(int(value[3:], 16))))
    return str(ipaddress.IPv4Address(int(value or "0", 16)))
