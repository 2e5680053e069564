"""The common-passwords filter must answer exactly as MediaWiki 1.39's Bloom filter does.

The expected answers below were observed on a running MediaWiki 1.39.17 with
``action=validatepassword`` (POST, anonymous, default policy): "common" passwords came back
as ``Change`` with ``passwordincommonlist``, the others without that message.
"""

from __future__ import annotations

import base64
import hmac
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from wikigate.auth.common_passwords import (
    HEADER,
    MAGIC,
    BloomFilter,
    default_filter,
    is_common,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
MEDIAWIKI_FILTER = Path(
    "/usr/share/mediawiki/vendor/wikimedia/common-passwords/src/CommonPasswords/common-x64.json"
)

REJECTED_BY_MEDIAWIKI = [
    "password",
    "foobar",
    "123456",
    "Alice",
    "short1",
    "passpass",
    "testpass",
    # Random strings that are in no list: the filter's false positives, which MediaWiki
    # reports as common all the same.
    "wDWNKooQ4WlTKL",
    "6jjzHztjgSlMNR",
]

ACCEPTED_BY_MEDIAWIKI = [
    "x",
    "Mindy",
    "Xk9qLm2w",
    "Xk9qLm2wP7",
    "Zq8!vLr3#Tw",
    "Tq7#vLp2@Zm9!wRx",
    "a-much-better-passw0rd!",
    "é" * 2048,
]


def load_builder() -> ModuleType:
    path = REPO_ROOT / "tools" / "build_common_passwords.py"
    spec = importlib.util.spec_from_file_location("build_common_passwords", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("password", REJECTED_BY_MEDIAWIKI)
def test_passwords_mediawiki_calls_common_are_common(password: str) -> None:
    assert is_common(password)


@pytest.mark.parametrize("password", ACCEPTED_BY_MEDIAWIKI)
def test_passwords_mediawiki_accepts_are_not_common(password: str) -> None:
    assert not is_common(password)


def test_bit_positions_match_the_php_hasher() -> None:
    # Printed by pleonasm's HasherList('sha1', 20, 2875518)->hash('password') on 64-bit PHP.
    expected = [
        2555268, 229808, 1820412, 2422294, 1692943, 60849, 827845, 2396013, 20862, 2603015,
        1550338, 505933, 2160618, 2372574, 1788525, 1305815, 644521, 847522, 676510, 820314,
    ]  # fmt: skip
    assert default_filter().positions(b"password") == expected


def test_shipped_filter_has_mediawikis_parameters() -> None:
    shipped = default_filter()
    assert shipped.modulus == 2875518
    assert len(shipped.hashers) == 20
    assert len(shipped.bits) == (2875518 + 7) // 8


def test_lone_surrogate_is_answered_not_raised() -> None:
    assert is_common("\ud800abc") is False


def synthetic_filter_json(members: list[bytes], *, bit_length: int, count: int) -> dict:
    """A pleonasm-style filter JSON whose bits are set with the standard library's HMAC."""
    bits = bytearray((bit_length + 7) // 8)
    for member in members:
        for i in range(count):
            digest = hmac.digest(str(i).encode(), member, "sha1")
            position = (int.from_bytes(digest[:8], "big") & (2**63 - 1)) % bit_length
            bits[position // 8] |= 1 << (position % 8)
    return {
        "bit_array": {"len": bit_length, "arr": base64.b64encode(bytes(bits)).decode()},
        "hashers": {"algo": "sha1", "count": count, "max": bit_length},
    }


def test_builder_output_answers_like_the_filter_it_was_built_from() -> None:
    members = [b"hunter2", b"correct horse", "pässwort".encode()]
    document = synthetic_filter_json(members, bit_length=4099, count=3)
    built = BloomFilter.from_bytes(load_builder().convert(document))

    assert all(built.contains(member) for member in members)
    # With 9 of 4099 bits set, an unrelated word passing all three hashes is all but impossible.
    assert not built.contains(b"something else")
    assert built.modulus == 4099


def test_builder_writes_magic_and_header() -> None:
    document = synthetic_filter_json([b"a"], bit_length=16, count=2)
    data = load_builder().convert(document)
    magic, algorithm, count, modulus, bit_length = HEADER.unpack_from(data)
    assert (magic, algorithm.rstrip(b"\0"), count, modulus, bit_length) == (
        MAGIC,
        b"sha1",
        2,
        16,
        16,
    )
    assert len(data) == HEADER.size + 2


def test_builder_rejects_a_modulus_past_the_bit_array() -> None:
    document = synthetic_filter_json([b"a"], bit_length=16, count=2)
    document["hashers"]["max"] = 17
    with pytest.raises(ValueError):
        load_builder().convert(document)


@pytest.mark.skipif(not MEDIAWIKI_FILTER.exists(), reason="MediaWiki's filter is not installed")
def test_shipped_file_is_what_the_builder_makes_from_mediawikis_filter() -> None:
    document = json.loads(MEDIAWIKI_FILTER.read_text(encoding="utf-8"))
    shipped = (REPO_ROOT / "wikigate" / "data" / "common-passwords.bin").read_bytes()
    assert load_builder().convert(document) == shipped


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda data: data[:10],
        lambda data: b"NOTOURS!" + data[8:],
        lambda data: data[:-1],
    ],
    ids=["truncated-header", "wrong-magic", "short-bit-array"],
)
def test_corrupt_files_are_refused(corrupt) -> None:
    data = (REPO_ROOT / "wikigate" / "data" / "common-passwords.bin").read_bytes()
    with pytest.raises(ValueError):
        BloomFilter.from_bytes(corrupt(data))
