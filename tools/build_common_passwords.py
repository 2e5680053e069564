"""Convert MediaWiki's common-passwords Bloom filter into wikigate's binary file.

MediaWiki 1.39 answers ``passwordincommonlist`` from the JSON Bloom filter shipped by the
``wikimedia/common-passwords`` library (serialised by ``pleonasm/bloom-filter``). That JSON
holds the bit array as base64 plus the hasher parameters. Parsing ~480 kB of JSON and
base64 at every start is wasteful, so this script writes the same bits, unchanged, behind
a fixed-size header that ``wikigate.auth.common_passwords`` reads directly.

Only the 64-bit variant (``common-x64.json``) is accepted: a 64-bit PHP, which every
supported MediaWiki install runs, picks that file, and its bit positions come from 63-bit
hash values that the 32-bit variant does not use.

Usage::

    python tools/build_common_passwords.py [SOURCE_JSON] [-o wikigate/data/common-passwords.bin]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from wikigate.auth.common_passwords import HEADER, MAGIC  # noqa: E402

DEFAULT_SOURCE = Path(
    "/usr/share/mediawiki/vendor/wikimedia/common-passwords/src/CommonPasswords/common-x64.json"
)
DEFAULT_OUTPUT = REPO_ROOT / "wikigate" / "data" / "common-passwords.bin"


def convert(filter_json: dict[str, Any]) -> bytes:
    """Return the binary file for a decoded pleonasm Bloom filter JSON document."""
    bit_array = filter_json["bit_array"]
    hashers = filter_json["hashers"]
    bit_length = int(bit_array["len"])
    bits = base64.b64decode(bit_array["arr"], validate=True)
    algorithm = str(hashers["algo"])
    hash_count = int(hashers["count"])
    modulus = int(hashers["max"])

    hashlib.new(algorithm)  # fail here, not at lookup time, on an algorithm we lack
    if len(bits) != (bit_length + 7) // 8:
        raise ValueError(f"bit array has {len(bits)} bytes, expected {(bit_length + 7) // 8}")
    if not 0 < modulus <= bit_length:
        # A position at or past the end would make PHP throw; refuse such a filter outright.
        raise ValueError(f"hash modulus {modulus} does not fit a {bit_length}-bit array")
    if hash_count <= 0:
        raise ValueError("the filter needs at least one hash function")

    header = HEADER.pack(MAGIC, algorithm.encode("ascii"), hash_count, modulus, bit_length)
    return header + bits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    if "x86" in args.source.name:
        parser.error("the 32-bit filter uses different bit positions; pass common-x64.json")
    document = json.loads(args.source.read_text(encoding="utf-8"))
    data = convert(document)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
