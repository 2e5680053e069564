"""User-name rules. Expected values were checked against MediaWiki 1.39.17
with list=users&usprop=cancreate: `invalid` means not valid, and for
missing users `cancreate` tells whether the name is creatable."""

import pytest

from wikigate.titles import namespaces
from wikigate.usernames import (
    RESERVED_NAMES,
    Rigor,
    canonical_name,
    is_creatable_name,
    is_ip,
    is_usable_name,
    is_valid_name,
    looks_like_ip,
)

NAMESPACES = namespaces("Oracle Wiki")


def canonical(name: str, rigor: Rigor = Rigor.VALID) -> str | None:
    return canonical_name(name, NAMESPACES, rigor=rigor)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alice", "Alice"),
        (" alice ", "Alice"),
        ("alice_smith", "Alice smith"),
        ("user:alice", "Alice"),
        ("User:Alice", "Alice"),
        ("a\u00a0b", "A b"),
        ("A&amp;b", "A&b"),
        ("ß", "SS"),
        ("zoë", "Zoë"),
        ("a.b", "A.b"),
        ("...", "..."),
        ("1.2.3", "1.2.3"),
        ("1.2.3.XXX", "1.2.3.XXX"),
        ("Foo:bar", "Foo:bar"),
        ("A=b", "A=b"),
    ],
)
def test_names_are_canonicalised(name, expected):
    assert canonical(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Talk:Alice",
        "Project:x",
        "Template:Foo",
        "user talk:foo",
        ":Alice",
        "A/b",
        "User:Foo/Bar",
        "A#b",
        "A[b",
        "A>b",
        "A~~~",
        "A&amp;amp;b",
        "A" * 256,
    ],
)
def test_names_that_are_not_valid(name):
    assert canonical(name) is None


@pytest.mark.parametrize(
    "name", ["127.0.0.1", "01.2.3.4", "300.300.300.300", "1.2.3.xxx", "::1", "1::abcd", "Ab12::", "1.2.3.4/24"]
)
def test_ip_lookalikes_are_not_valid(name):
    assert canonical(name) is None


@pytest.mark.parametrize(
    "name",
    ["A\u200bb", "A\u200cb", "A\u200db", "A\u0085b", "A\ue000b"],
)
def test_invisible_and_private_use_characters_are_not_valid(name):
    assert canonical(name) is None


def test_soft_hyphen_is_allowed():
    assert canonical("A\u00adb") == "A\u00adb"


def test_length_limits_count_bytes():
    assert canonical("A" * 255) == "A" * 255
    assert canonical("é" * 128) is None
    assert canonical("A" * 235, Rigor.CREATABLE) == "A" * 235
    assert canonical("A" * 236, Rigor.CREATABLE) is None
    assert canonical("é" * 117 + "x", Rigor.CREATABLE) is not None
    assert canonical("é" * 118, Rigor.CREATABLE) is None


@pytest.mark.parametrize("name", ["A@b", "A:b", "X:y:z"])
def test_invalid_username_characters_block_creation_only(name):
    assert canonical(name, Rigor.USABLE) == name
    assert canonical(name, Rigor.CREATABLE) is None


@pytest.mark.parametrize(
    "name",
    ["Maintenance script", "MediaWiki default", "Unknown user", "Redirect fixer", "System messenger",
     "DNSBL", "Proxy blocker", "MediaWiki spam cleanup", "MediaWiki automatic change"],
)
def test_reserved_names_are_valid_but_not_usable(name):
    assert canonical(name) == name
    assert canonical(name, Rigor.USABLE) is None
    assert canonical(name, Rigor.CREATABLE) is None


def test_message_keys_of_reserved_names_are_not_reserved():
    # The reserved entries are message texts, not the messages' names.
    assert canonical("Double redirect fixer", Rigor.CREATABLE) == "Double redirect fixer"
    assert canonical("MediaWiki message delivery", Rigor.CREATABLE) == "MediaWiki message delivery"
    assert "Redirect fixer" in RESERVED_NAMES


def test_rigor_may_be_given_as_text():
    assert canonical_name("a@b", NAMESPACES, rigor="valid") == "A@b"
    assert canonical_name("a@b", NAMESPACES, rigor="creatable") is None
    with pytest.raises(ValueError):
        canonical_name("Alice", NAMESPACES, rigor="strict")


def test_predicates_take_canonical_names():
    assert is_valid_name("Alice smith", NAMESPACES)
    assert not is_valid_name("alice", NAMESPACES)
    assert not is_valid_name("Alice_smith", NAMESPACES)
    assert is_usable_name("Alice", NAMESPACES) and not is_usable_name("DNSBL", NAMESPACES)
    assert is_creatable_name("Alice", NAMESPACES) and not is_creatable_name("A@b", NAMESPACES)


def test_is_ip_is_strict_and_looks_like_ip_is_wide():
    assert is_ip("127.0.0.1") and is_ip("::1")
    assert not is_ip("300.300.300.300") and looks_like_ip("300.300.300.300")
    assert not is_ip("1.2.3.xxx") and looks_like_ip("1.2.3.xxx")
    assert not looks_like_ip("1.2.3.XXX")
    assert not looks_like_ip("Alice")
