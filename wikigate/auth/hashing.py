"""Password hashes in the formats MediaWiki 1.39 stores in ``user_password``.

Every stored hash names its scheme in a ``:type:`` prefix, so a wiki imported
from MediaWiki keeps working and old hashes are upgraded on the next login:

    :pbkdf2:<algo>:<rounds>:<length>:<base64 salt>:<base64 key>   the 1.39 default
    :A:<md5 hex of the password>                                unsalted, pre-1.24
    :A:<salt>:<md5 hex of "<salt>-<md5 hex of the password>">   a salted hash old code mislabelled A
    :B:<salt>:<md5 hex of "<salt>-<md5 hex of the password>">
    :pbkdf2-legacyA:!<algo>:<rounds>:<length>!<A salt or nothing>!<base64 salt>!<base64 key>
    :pbkdf2-legacyB:!<algo>:<rounds>:<length>!<B salt>!<base64 salt>!<base64 key>
        pbkdf2 over the md5 hex of an A or B hash; made by upgrading old hashes
        in bulk, when no password was at hand
    :bcrypt:<cost>$<22-character salt>$<31-character hash>      crypt()'s "$2y$" output, re-split
    :argon2:<PHP password_hash() output>       such as "$argon2id$v=19$m=65536,t=4,p=1$<salt>$<hash>"

A bare 32-digit md5 hex comes from before types existed; MediaWiki reads it as
``:B:`` salted with the user's id.

The schemes follow Django's hashers: one small class per type with ``encode``,
``verify`` and ``needs_rehash``, and a factory that dispatches on the prefix.
All of it is CPU-bound and synchronous; callers run it in a thread.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Literal, Protocol

import argon2
import bcrypt
from argon2.exceptions import VerificationError

from wikigate.randomness import Randomness


class MalformedHash(ValueError):
    """A stored hash that does not parse as its own type."""


class Hasher(Protocol):
    type: str

    def encode(self, password: str) -> str: ...

    def verify(self, password: str, stored: str) -> bool: ...

    def needs_rehash(self, stored: str) -> bool: ...


_TYPE_PREFIX = re.compile(r":([^:]*):")
_BARE_MD5 = re.compile(r"[0-9a-f]{32}")
# Nine digits bound the work a corrupt hash can demand and keep ints small.
_NUMBER = re.compile(r"[0-9]{1,9}")


def _body(stored: str, type_: str) -> str:
    prefix = f":{type_}:"
    if not stored.startswith(prefix):
        raise MalformedHash(f"not a {type_} hash")
    return stored[len(prefix) :]


def _number(text: str) -> int:
    if not _NUMBER.fullmatch(text):
        raise MalformedHash(f"not a number: {text!r}")
    return int(text)


def _same(a: str, b: str) -> bool:
    # Bytes, because compare_digest refuses str holding non-ASCII characters.
    return hmac.compare_digest(a.encode(), b.encode())


def _md5_hex(data: str) -> str:
    return hashlib.md5(data.encode()).hexdigest()


def _old_md5(password: str, salt: str | None) -> str:
    if salt is None:
        return _md5_hex(password)
    return _md5_hex(f"{salt}-{_md5_hex(password)}")


@dataclass(frozen=True, slots=True)
class Pbkdf2Params:
    algo: str = "sha512"
    rounds: int = 30000
    length: int = 64

    @classmethod
    def parse(cls, text: str) -> Pbkdf2Params:
        parts = text.split(":")
        if len(parts) != 3:
            raise MalformedHash("pbkdf2 needs algo, rounds and length")
        algo, rounds, length = parts
        return cls(algo=algo, rounds=_number(rounds), length=_number(length))

    def __str__(self) -> str:
        return f"{self.algo}:{self.rounds}:{self.length}"

    def derive(self, secret: bytes, salt: str) -> str:
        """The base64 key for ``secret`` under the base64 ``salt``.

        Raises ValueError for an algorithm hashlib lacks or zero rounds.
        """
        key = hashlib.pbkdf2_hmac(
            self.algo,
            secret,
            base64.b64decode(salt),
            self.rounds,
            # PHP's hash_pbkdf2 reads a length of 0 as the digest's own size.
            self.length or None,
        )
        return base64.b64encode(key).decode("ascii")


def _new_pbkdf2_salt(random: Randomness) -> str:
    return base64.b64encode(random.token_bytes(16)).decode("ascii")


class Pbkdf2Hasher:
    type = "pbkdf2"

    def __init__(self, random: Randomness, *, params: Pbkdf2Params = Pbkdf2Params()) -> None:
        self.random = random
        self.params = params

    def encode(self, password: str) -> str:
        salt = _new_pbkdf2_salt(self.random)
        key = self.params.derive(password.encode(), salt)
        return f":pbkdf2:{self.params}:{salt}:{key}"

    def verify(self, password: str, stored: str) -> bool:
        params, salt, key = self._parse(stored)
        return _same(params.derive(password.encode(), salt), key)

    def needs_rehash(self, stored: str) -> bool:
        return self._parse(stored)[0] != self.params

    def _parse(self, stored: str) -> tuple[Pbkdf2Params, str, str]:
        parts = _body(stored, self.type).split(":")
        if len(parts) != 5:
            raise MalformedHash("pbkdf2 needs algo:rounds:length:salt:key")
        return Pbkdf2Params.parse(":".join(parts[:3])), parts[3], parts[4]


class OldMd5Hasher:
    """Type A: plain md5, or a B-style salted md5 that old versions labelled A."""

    type = "A"

    def encode(self, password: str) -> str:
        return f":A:{_old_md5(password, None)}"

    def verify(self, password: str, stored: str) -> bool:
        parts = _body(stored, self.type).split(":")
        if len(parts) == 1:
            return _same(_old_md5(password, None), parts[0])
        if len(parts) == 2:
            return _same(_old_md5(password, parts[0]), parts[1])
        raise MalformedHash("A holds a hash and at most one salt")

    def needs_rehash(self, stored: str) -> bool:
        # Type A has no parameters; the factory still upgrades it for not being the default.
        return False


class SaltedMd5Hasher:
    type = "B"

    def __init__(self, random: Randomness) -> None:
        self.random = random

    def encode(self, password: str) -> str:
        salt = self.random.token_hex(4)
        return f":B:{salt}:{_old_md5(password, salt)}"

    def verify(self, password: str, stored: str) -> bool:
        parts = _body(stored, self.type).split(":")
        if len(parts) != 2:
            raise MalformedHash("B needs salt:hash")
        return _same(_old_md5(password, parts[0]), parts[1])

    def needs_rehash(self, stored: str) -> bool:
        return False


class LayeredPbkdf2Hasher:
    """pbkdf2 applied to the md5 hex an A or B hash would have stored."""

    def __init__(self, inner: Literal["A", "B"], random: Randomness, *,
                 params: Pbkdf2Params = Pbkdf2Params()) -> None:
        self.inner = inner
        self.random = random
        self.type = f"pbkdf2-legacy{inner}"
        self.params = params

    def encode(self, password: str) -> str:
        inner_salt = self.random.token_hex(4) if self.inner == "B" else ""
        salt = _new_pbkdf2_salt(self.random)
        key = self.params.derive(self._inner_hex(password, inner_salt).encode(), salt)
        return f":{self.type}:!{self.params}!{inner_salt}!{salt}!{key}"

    def verify(self, password: str, stored: str) -> bool:
        params, inner_salt, salt, key = self._parse(stored)
        inner_hex = self._inner_hex(password, inner_salt)
        return _same(params.derive(inner_hex.encode(), salt), key)

    def needs_rehash(self, stored: str) -> bool:
        return self._parse(stored)[0] != self.params

    def _inner_hex(self, password: str, inner_salt: str) -> str:
        if self.inner == "A":
            return _old_md5(password, inner_salt or None)
        if not inner_salt:
            raise MalformedHash("pbkdf2-legacyB needs the B salt")
        return _old_md5(password, inner_salt)

    def _parse(self, stored: str) -> tuple[Pbkdf2Params, str, str, str]:
        parts = _body(stored, self.type).split("!")
        # The md5 layer has no parameters, hence the empty first field.
        if len(parts) != 5 or parts[0] != "" or ":" in parts[2]:
            raise MalformedHash(f"{self.type} needs !params!inner salt!salt!key")
        return Pbkdf2Params.parse(parts[1]), parts[2], parts[3], parts[4]


def _bcrypt_secret(password: str) -> bytes:
    # PHP's crypt() stops at a NUL and reads at most 72 bytes; the bcrypt
    # package refuses longer input, so cut it the same way first.
    return password.encode().split(b"\0", 1)[0][:72]


class BcryptHasher:
    type = "bcrypt"

    def __init__(self, *, cost: int = 9) -> None:
        self.cost = cost

    def encode(self, password: str) -> str:
        crypted = bcrypt.hashpw(_bcrypt_secret(password), bcrypt.gensalt(rounds=self.cost))
        salt_and_hash = crypted.decode("ascii").rsplit("$", 1)[1]
        return f":bcrypt:{self.cost}${salt_and_hash[:22]}${salt_and_hash[22:]}"

    def verify(self, password: str, stored: str) -> bool:
        cost, salt, hash_ = self._parse(stored)
        crypted = f"$2y${cost:02d}${salt}{hash_}"
        # checkpw compares in constant time and raises ValueError on a bad salt or cost.
        return bcrypt.checkpw(_bcrypt_secret(password), crypted.encode())

    def needs_rehash(self, stored: str) -> bool:
        return self._parse(stored)[0] != self.cost

    def _parse(self, stored: str) -> tuple[int, str, str]:
        parts = _body(stored, self.type).split("$")
        if len(parts) != 3 or len(parts[1]) != 22:
            raise MalformedHash("bcrypt needs cost$salt$hash")
        cost, salt, hash_ = parts
        return _number(cost), salt, hash_


class Argon2Hasher:
    """PHP password_hash() output; the defaults are PHP's ("auto" is argon2id)."""

    type = "argon2"

    def __init__(self, *, memory_cost: int = 65536, time_cost: int = 4, threads: int = 1) -> None:
        # PHP writes 16-byte salts and 32-byte hashes; matching them keeps
        # needs_rehash quiet for hashes PHP made with the same costs.
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=threads,
            hash_len=32,
            salt_len=16,
            type=argon2.Type.ID,
        )

    def encode(self, password: str) -> str:
        return f":argon2:{self._hasher.hash(password)}"

    def verify(self, password: str, stored: str) -> bool:
        try:
            # Compares in constant time; argon2i and argon2id both verify.
            return self._hasher.verify(_body(stored, self.type), password)
        except VerificationError:
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(_body(stored, self.type))


class PasswordFactory:
    """Hashes new passwords in the default type and verifies every known type."""

    def __init__(self, random: Randomness, *, default_type: str = "pbkdf2", pbkdf2_cost: int = 30000) -> None:
        params = Pbkdf2Params(rounds=pbkdf2_cost)
        hashers: list[Hasher] = [
            Pbkdf2Hasher(random, params=params),
            OldMd5Hasher(),
            SaltedMd5Hasher(random),
            LayeredPbkdf2Hasher("A", random, params=params),
            LayeredPbkdf2Hasher("B", random, params=params),
            BcryptHasher(),
            Argon2Hasher(),
        ]
        self._hashers = {hasher.type: hasher for hasher in hashers}
        if default_type not in self._hashers:
            raise ValueError(f"unknown password type {default_type!r}")
        self._default = self._hashers[default_type]

    def hash(self, password: str) -> str:
        return self._default.encode(password)

    def verify(self, password: str, stored: str | None, *, user_id: int | None = None) -> bool:
        """Whether ``password`` matches ``stored``; False for anything unusable.

        ``user_id`` salts a bare md5 hex the way MediaWiki reads one; without
        it such a hash never matches.
        """
        if not stored:
            return False
        if user_id is not None and _BARE_MD5.fullmatch(stored):
            stored = f":B:{user_id}:{stored}"
        hasher = self._hasher_for(stored)
        if hasher is None:
            return False
        try:
            return hasher.verify(password, stored)
        except ValueError:
            return False

    def needs_update(self, stored: str) -> bool:
        """Whether a hash that just verified should be replaced by ``hash()``."""
        hasher = self._hasher_for(stored)
        if hasher is not self._default:
            return True
        try:
            return hasher.needs_rehash(stored)
        except ValueError:
            return True

    def dummy_verify(self, password: str) -> None:
        """Spend what verifying a default-type hash costs, for unknown users.

        Without it a login for a missing account answers faster than one with
        a wrong password, which tells an attacker which accounts exist.
        Encoding runs the same key derivation as verifying, once.
        """
        self._default.encode(password)

    def _hasher_for(self, stored: str) -> Hasher | None:
        match = _TYPE_PREFIX.match(stored)
        return self._hashers.get(match[1]) if match else None
