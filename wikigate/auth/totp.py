"""Time-based one-time passwords (RFC 6238) as MediaWiki's OATHAuth checks them.

A code is 6 digits of HMAC-SHA1 over the count of 30-second steps since the
Unix epoch. To allow for clock drift, codes from ``window`` steps either side
of now are accepted, but only for a step strictly later than the last step
accepted for the user: an overheard or shoulder-surfed code cannot be used a
second time. The caller stores the step ``verify_code`` returns.

Recovery codes stand in for a lost device. Only their hashes are stored, and
each works once: the caller deletes the hash that matched.
"""

import base64
import hashlib
import hmac
import re

import pyotp

from wikigate.randomness import Randomness

STEP_SECONDS = 30
DIGITS = 6

_WHITESPACE = re.compile(r"\s+")
_CODE = re.compile(rf"[0-9]{{{DIGITS}}}")


def new_secret(random: Randomness) -> str:
    """A base32 secret of 26 random bytes, unpadded, the shape OATHAuth makes."""
    return base64.b32encode(random.token_bytes(26)).decode("ascii").rstrip("=")


def _totp(secret: str) -> pyotp.TOTP:
    # pyotp raises ValueError for a secret under 112 bits.
    return pyotp.TOTP(secret, digits=DIGITS, digest=hashlib.sha1, interval=STEP_SECONDS)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth://totp/ URI an authenticator app reads from a QR code."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)


def verify_code(
    secret: str, code: str, *, now: float, last_step: int | None, window: int = 1
) -> int | None:
    """The step ``code`` belongs to, or None if it is wrong, stale or replayed.

    Whitespace in ``code`` is ignored, since people type codes in groups.
    """
    code = _WHITESPACE.sub("", code)
    if not _CODE.fullmatch(code):
        return None
    totp = _totp(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - window, current + window + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(random: Randomness, count: int = 10) -> list[str]:
    """Plain codes to show the user once: 10 random bytes each, in base32."""
    return [base64.b32encode(random.token_bytes(10)).decode("ascii") for _ in range(count)]


def hash_recovery_code(code: str) -> str:
    """What is stored for a recovery code.

    A code holds 80 random bits, far beyond guessing, so a fast unsalted hash
    is enough; a slow one would only protect guessable secrets. Base32 ignores
    case and people type spaces, so neither changes the hash.
    """
    normalized = _WHITESPACE.sub("", code).upper()
    return hashlib.sha256(normalized.encode()).hexdigest()


def match_recovery_code(code: str, stored_hashes: list[str]) -> int | None:
    """The index of the stored hash ``code`` matches, or None."""
    candidate = hash_recovery_code(code).encode()
    matched = None
    # Every hash is compared, so the time taken does not tell which one matched.
    for index, stored in enumerate(stored_hashes):
        if hmac.compare_digest(candidate, stored.encode()) and matched is None:
            matched = index
    return matched
