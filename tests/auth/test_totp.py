from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from wikigate.auth.totp import (
    hash_recovery_code,
    match_recovery_code,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    verify_code,
)
from wikigate.randomness import Randomness

RANDOM = Randomness()

# A fixed secret keeps the expected codes reproducible.
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The middle of step 56_666_666, so small offsets stay inside it.
NOW = 56_666_666 * 30 + 15.0
STEP = 56_666_666


def code_at(offset_steps: int) -> str:
    return pyotp.TOTP(SECRET).at(NOW + offset_steps * 30)


def test_rfc_6238_sha1_vector() -> None:
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082, of which 6 digits are used.
    rfc_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert verify_code(rfc_secret, "287082", now=59, last_step=None) == 1


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_current_and_adjacent_steps_are_accepted(offset: int) -> None:
    assert verify_code(SECRET, code_at(offset), now=NOW, last_step=None) == STEP + offset


@pytest.mark.parametrize("offset", [-2, 2])
def test_codes_two_steps_away_are_rejected(offset: int) -> None:
    assert verify_code(SECRET, code_at(offset), now=NOW, last_step=None) is None


def test_wider_window_accepts_two_steps_away() -> None:
    assert verify_code(SECRET, code_at(-2), now=NOW, last_step=None, window=2) == STEP - 2


def test_same_code_cannot_be_replayed() -> None:
    code = code_at(0)
    step = verify_code(SECRET, code, now=NOW, last_step=None)
    assert step == STEP
    assert verify_code(SECRET, code, now=NOW, last_step=step) is None
    # Still refused a step later, while it is inside the drift window.
    assert verify_code(SECRET, code, now=NOW + 30, last_step=step) is None


def test_only_steps_after_the_last_accepted_one_count() -> None:
    assert verify_code(SECRET, code_at(-1), now=NOW, last_step=STEP) is None
    assert verify_code(SECRET, code_at(1), now=NOW, last_step=STEP) == STEP + 1


def test_spaces_in_the_code_are_ignored() -> None:
    code = code_at(0)
    assert verify_code(SECRET, f" {code[:3]} {code[3:]}\t", now=NOW, last_step=None) == STEP


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_malformed_codes_are_rejected(bad: str) -> None:
    assert verify_code(SECRET, bad, now=NOW, last_step=None) is None


def test_new_secret_works_with_authenticator_apps() -> None:
    secret = new_secret(RANDOM)
    assert len(secret) == 42 and "=" not in secret  # 26 bytes, unpadded
    assert secret != new_secret(RANDOM)
    code = pyotp.TOTP(secret).at(NOW)
    assert verify_code(secret, code, now=NOW, last_step=None) == STEP


def test_provisioning_uri() -> None:
    uri = provisioning_uri(SECRET, account="Alice", issuer="My Wiki")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == ("otpauth", "totp", "/My%20Wiki:Alice")
    query = parse_qs(parts.query)
    assert query["secret"] == [SECRET]
    assert query["issuer"] == ["My Wiki"]


def test_recovery_code_works_once() -> None:
    codes = new_recovery_codes(RANDOM)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 16 for code in codes)
    stored = [hash_recovery_code(code) for code in codes]
    assert codes[3] not in stored[3]

    index = match_recovery_code(codes[3], stored)
    assert index == 3
    del stored[index]  # what the caller does after a successful use
    assert match_recovery_code(codes[3], stored) is None
    assert match_recovery_code(codes[4], stored) == 3


def test_recovery_code_tolerates_spaces_and_case() -> None:
    code = new_recovery_codes(RANDOM, 1)[0]
    stored = [hash_recovery_code(code)]
    typed = f"{code[:4]} {code[4:8]} {code[8:]}".lower()
    assert match_recovery_code(typed, stored) == 0


def test_wrong_recovery_code_matches_nothing() -> None:
    stored = [hash_recovery_code(code) for code in new_recovery_codes(RANDOM, 3)]
    assert match_recovery_code("AAAAAAAAAAAAAAAA", stored) is None
    assert match_recovery_code("", stored) is None
    assert match_recovery_code("AAAAAAAAAAAAAAAA", []) is None
