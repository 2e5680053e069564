"""Is a password among the 100,000 most common ones, exactly as MediaWiki 1.39 judges it?

MediaWiki's ``PasswordNotInCommonList`` check asks a Bloom filter (``wikimedia/common-passwords``,
built with ``pleonasm/bloom-filter``) rather than the list itself. To give the same answers,
false positives included, wikigate ships that filter's bit array unchanged and repeats its
lookup:

* For ``i`` in ``0 .. count-1``: ``h = HMAC-<algorithm>(key=str(i), message=password)``,
  where the password is its UTF-8 bytes.
* The first 8 bytes of ``h`` read as a big-endian integer with the top bit cleared (a
  63-bit non-negative number) are reduced modulo ``modulus`` to give a bit position.
* Bit ``p`` is bit ``p % 8`` (least significant first) of byte ``p // 8``.
* The password is common when every one of the ``count`` bits is set.

The work per lookup is ``count`` HMACs (20 for the shipped filter), whatever the list size.

File format (``wikigate/data/common-passwords.bin``, written by
``tools/build_common_passwords.py``): the header ``HEADER`` (little-endian: magic, hash
algorithm name NUL-padded to 16 bytes, hash count, modulus, bit length) followed by the raw
bit array, ``ceil(bit length / 8)`` bytes.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache
from importlib import resources

MAGIC = b"WGBLOOM1"
HEADER = struct.Struct("<8s16sIQQ")
DATA_FILE = "common-passwords.bin"

_POSITION_MASK = (1 << 63) - 1


class _KeyedHash:
    """HMAC (RFC 2104) with its two padded-key blocks hashed once up front.

    Python's one-shot ``hmac.digest`` costs about three times a plain hash under OpenSSL 3;
    copying pre-fed hash states keeps 20 HMACs per lookup well inside the time budget.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, algorithm: str, key: bytes) -> None:
        inner = hashlib.new(algorithm)
        outer = hashlib.new(algorithm)
        if len(key) > inner.block_size:
            key = hashlib.new(algorithm, key).digest()
        key = key.ljust(inner.block_size, b"\0")
        inner.update(bytes(b ^ 0x36 for b in key))
        outer.update(bytes(b ^ 0x5C for b in key))
        self._inner = inner
        self._outer = outer

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


@dataclass(frozen=True, slots=True)
class BloomFilter:
    """A read-only Bloom filter laid out the way pleonasm/bloom-filter serialises it."""

    modulus: int
    bits: bytes
    hashers: tuple[_KeyedHash, ...]

    @classmethod
    def from_bytes(cls, data: bytes) -> BloomFilter:
        """Parse the binary file; raise ``ValueError`` on a file that is not one of ours."""
        if len(data) < HEADER.size:
            raise ValueError("common-passwords file is truncated")
        magic, raw_algorithm, count, modulus, bit_length = HEADER.unpack_from(data)
        if magic != MAGIC:
            raise ValueError("not a wikigate common-passwords file")
        bits = data[HEADER.size :]
        if len(bits) != (bit_length + 7) // 8:
            raise ValueError("common-passwords bit array does not match its declared length")
        if not 0 < modulus <= bit_length or count <= 0:
            raise ValueError("common-passwords header holds impossible parameters")
        algorithm = raw_algorithm.rstrip(b"\0").decode("ascii")
        # The library keys hasher i with the decimal text of i.
        hashers = tuple(_KeyedHash(algorithm, str(i).encode("ascii")) for i in range(count))
        return cls(modulus=modulus, bits=bits, hashers=hashers)

    def positions(self, item: bytes) -> list[int]:
        """All bit positions ``item`` maps to, in hasher order."""
        return [self._position(hasher, item) for hasher in self.hashers]

    def contains(self, item: bytes) -> bool:
        # Most passwords are not common: stop at the first clear bit.
        for hasher in self.hashers:
            position = self._position(hasher, item)
            if not self.bits[position >> 3] >> (position & 7) & 1:
                return False
        return True

    def _position(self, hasher: _KeyedHash, item: bytes) -> int:
        digest = hasher.digest(item)
        return (int.from_bytes(digest[:8], "big") & _POSITION_MASK) % self.modulus


@cache
def default_filter() -> BloomFilter:
    """The shipped filter, read from the package data once per process."""
    data = resources.files("wikigate").joinpath("data", DATA_FILE).read_bytes()
    return BloomFilter.from_bytes(data)


def is_common(password: str) -> bool:
    """True when MediaWiki 1.39 would report ``passwordincommonlist`` for ``password``."""
    # A lone surrogate cannot arrive in a UTF-8 request, so MediaWiki has no answer to match;
    # encoding it anyway keeps a malformed str from turning a lookup into an exception.
    return default_filter().contains(password.encode("utf-8", "surrogatepass"))
