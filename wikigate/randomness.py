"""Randomness as a dependency: every secret the program draws comes through here.

Injected like the clock, so that what draws secrets is visible in each
constructor; the default draws from the operating system's cryptographic
source (`secrets`).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Randomness:
    def token_bytes(self, count: int) -> bytes:
        return secrets.token_bytes(count)

    def token_hex(self, count: int) -> str:
        """`count` random bytes as 2 × `count` hex digits."""
        return self.token_bytes(count).hex()

    def token_urlsafe(self, count: int) -> str:
        """`count` random bytes in URL-safe base64, without padding."""
        return base64.urlsafe_b64encode(self.token_bytes(count)).rstrip(b"=").decode("ascii")

    def choice(self, items: Sequence[T]) -> T:
        return items[secrets.randbelow(len(items))]

    def string(self, alphabet: str, length: int) -> str:
        return "".join(self.choice(alphabet) for _ in range(length))

