"""Stored-hash compatibility with MediaWiki 1.39.

The vectors below were made by MediaWiki 1.39.17's own Password classes
(PasswordFactory::newFromType(...)->crypt() in a maintenance script), by PHP
8.2's password_hash(), or read from the user table of the local reference
wiki, so passing them proves byte compatibility, not self-consistency.
"""

import time

import pytest

from wikigate.auth.hashing import (
    Argon2Hasher,
    BcryptHasher,
    LayeredPbkdf2Hasher,
    OldMd5Hasher,
    PasswordFactory,
    Pbkdf2Hasher,
    Pbkdf2Params,
    SaltedMd5Hasher,
)
from wikigate.randomness import Randomness

RANDOM = Randomness()

PASSWORD = "correct horse ñ"

MW_PBKDF2_30000 = (
    ":pbkdf2:sha512:30000:64:pR+dTqCQSFVhtrt/TXJREQ==:PGfT6frGlJEGfCKc/+2qP49jKlpHFm3W7mSeeHsF"
    "fVk4ulLbpAsYrqYswyq+YQckwiazjMJcF0k4+S5hkxBU2A=="
)
# Alice's hash from the reference wiki's user table (password AlicePassword-1234).
MW_ALICE = (
    ":pbkdf2:sha512:30000:64:TSSH/jf3zEYimMs19ooGUg==:+fBkgJtunajTM2kJB48HihYUS8WHQA0QHlm1IkRZ"
    "uKLOrl4giRf5x9SGqQCxHf/2IBfqiYk9W76NvSA8i2RcMw=="
)
MW_PBKDF2_1000 = (
    ":pbkdf2:sha512:1000:64:AQXFcd79oOuuZP2rCMZXzA==:jeRFmW7tvS1FGDwE8ZMB/fX6t6hR6uJajga+RXyF"
    "W08sJJ0hD6yuUWO6FU1yjWgaqka5+sDS2Dj7Pn81uhmWhA=="
)
MW_PBKDF2_SHA256 = (
    ":pbkdf2:sha256:2000:32:mgdIHboMQ4QA5mMKSswc/Q==:yaj1PN7AWlqgE7jrFSylUrtnto3ikCzdJDBbR32Mstg="
)
MW_A = ":A:8b573963aa778b0111693658bdcd2f1a"
MW_A_SALTED = ":A:5a17:8ad809a17cb065f63e73aec8cf4b566b"
MW_B = ":B:e5ae434a:03b12cd4108e0d1de311a262db3ef078"
# :B: salted with user id 7; stored bare, it is the pre-typed format.
MW_B_USER_7 = ":B:7:423a648e86949fae4dd0d15dc5f8956c"
MW_LEGACY_A = (
    ":pbkdf2-legacyA:!sha512:1000:64!!99nnhLXaVNrVzyTFkhCwPA==!tD1kGkeBY1x017nGlUk8SLsqk8AdOLhp"
    "rx5q8KCK2fjllq4UzsA5p8wRLKM0cmknNSfljXK81ITCoHHORE1kwg=="
)
MW_LEGACY_A_SALTED = (
    ":pbkdf2-legacyA:!sha512:1000:64!5a17!wOCGBi8kWg67EqmNy5MwZA==!U/rNvvKIpJLElfjoiMvA5l2H2uf5"
    "nIhjUV5hDMFEanXVv190e/lF2+TusKyf6mOHhvN5clb/19veBfXhU3mlew=="
)
MW_LEGACY_B = (
    ":pbkdf2-legacyB:!sha512:1000:64!0460c1ef!EONU2GDa8hmh0aP4Ufe/Mg==!LC7xzzxcnBEdnbik/Rzyz4zw"
    "teTDn5JRKj92s5bmjWov4u350/zrF+Mu2xV4quiNq3ajPUbTZRQGK2Gnf1tPfg=="
)
MW_LEGACY_B_30000 = (
    ":pbkdf2-legacyB:!sha512:30000:64!dc075fd0!FFhQVk02l0wUzQqQTJ0PwA==!DaoBzsUy8jQNqy6qObHX2zza"
    "sQQJ7b6IwWaxRPldd7/Fe+zoWKaZNSImKp35AMDSFLtUpk3WRoW8jc3dG6a5Uw=="
)
MW_BCRYPT = ":bcrypt:9$JZYf9aU91tC.zPXrGv0EbO$QspxQsZXIZMwZAdpwOvKpjKiGhiBaLm"
# Password "a" * 72; PHP's crypt() ignores anything past 72 bytes.
MW_BCRYPT_72 = ":bcrypt:9$9uauN4If7VJmtAwIdEWFBe$mnlBel73JjxAgv.mV.e95Y9.pXv2X3q"
# Password "ab\0cd"; PHP's crypt() stops at the NUL.
MW_BCRYPT_NUL = ":bcrypt:9$hVwbrMzgyNcSXYibk7N1Ou$BAEiFvx1KLuL.0EDh2Rd0dII2VNv93K"
MW_ARGON2 = (
    ":argon2:$argon2id$v=19$m=65536,t=4,p=1$Mm5adWNrMjF1LnNWazh3Tg$uwDnQ3Bzt6yuGaG5TWz89iwH1mel"
    "kBlmZNiCjOF7R38"
)
PHP_ARGON2I_CHEAP = (
    ":argon2:$argon2i$v=19$m=1024,t=2,p=1$NnJ2Tk5QNXlkZjVqZjVHOA"
    "$tCTremAgRu8n5/PPWekDdtDMGfgbjEgm1thOrUVA4R0"
)
PHP_ARGON2ID_CHEAP = (
    ":argon2:$argon2id$v=19$m=1024,t=2,p=1$S3ZUTVZvRzBvRXNzZ1RLcw"
    "$0e4xnvQAGz79QnpBWezAbmCG2ZyI9eetrb99D5+9XZg"
)


@pytest.fixture
def factory() -> PasswordFactory:
    return PasswordFactory(RANDOM, pbkdf2_cost=1000)


def test_default_format_matches_mediawiki_vectors() -> None:
    factory = PasswordFactory(RANDOM)
    assert factory.verify(PASSWORD, MW_PBKDF2_30000)
    assert factory.verify("AlicePassword-1234", MW_ALICE)
    assert not factory.verify("alicepassword-1234", MW_ALICE)
    assert not factory.needs_update(MW_ALICE)


def test_new_default_hash_has_mediawiki_layout() -> None:
    stored = PasswordFactory(RANDOM).hash(PASSWORD)
    fields = stored.split(":")
    assert fields[:5] == ["", "pbkdf2", "sha512", "30000", "64"]
    assert len(fields[5]) == 24 and fields[5].endswith("==")  # 16 salt bytes
    assert len(fields[6]) == 88  # 64 key bytes


VERIFYING = {
    "pbkdf2-1000": MW_PBKDF2_1000,
    "pbkdf2-sha256": MW_PBKDF2_SHA256,
    "A": MW_A,
    "A-salted": MW_A_SALTED,
    "B": MW_B,
    "B-user-7": MW_B_USER_7,
    "legacyA": MW_LEGACY_A,
    "legacyA-salted": MW_LEGACY_A_SALTED,
    "legacyB": MW_LEGACY_B,
    "legacyB-30000": MW_LEGACY_B_30000,
    "bcrypt": MW_BCRYPT,
    "argon2": MW_ARGON2,
    "argon2i-cheap": PHP_ARGON2I_CHEAP,
    "argon2id-cheap": PHP_ARGON2ID_CHEAP,
}


@pytest.mark.parametrize("stored", VERIFYING.values(), ids=VERIFYING.keys())
def test_mediawiki_and_php_hashes_verify(factory: PasswordFactory, stored: str) -> None:
    assert factory.verify(PASSWORD, stored)
    assert not factory.verify("correct horse n", stored)


def test_bare_md5_is_salted_with_the_user_id(factory: PasswordFactory) -> None:
    bare = MW_B_USER_7.rsplit(":", 1)[1]
    assert factory.verify(PASSWORD, bare, user_id=7)
    assert not factory.verify(PASSWORD, bare, user_id=8)
    assert not factory.verify(PASSWORD, bare)
    assert factory.needs_update(bare)


def test_bcrypt_reads_passwords_as_php_crypt_does(factory: PasswordFactory) -> None:
    assert factory.verify("a" * 72, MW_BCRYPT_72)
    assert factory.verify("a" * 72 + "zzz", MW_BCRYPT_72)
    assert not factory.verify("a" * 71, MW_BCRYPT_72)
    assert factory.verify("ab\0cd", MW_BCRYPT_NUL)
    assert factory.verify("ab", MW_BCRYPT_NUL)


@pytest.mark.parametrize(
    "hasher",
    [
        Pbkdf2Hasher(RANDOM, params=Pbkdf2Params(rounds=1000)),
        OldMd5Hasher(),
        SaltedMd5Hasher(RANDOM),
        LayeredPbkdf2Hasher("A", RANDOM, params=Pbkdf2Params(rounds=1000)),
        LayeredPbkdf2Hasher("B", RANDOM, params=Pbkdf2Params(rounds=1000)),
        BcryptHasher(cost=4),
        Argon2Hasher(memory_cost=1024, time_cost=1),
    ],
    ids=lambda hasher: hasher.type,
)
def test_each_hasher_round_trips(hasher, factory: PasswordFactory) -> None:
    stored = hasher.encode(PASSWORD)
    assert stored.startswith(f":{hasher.type}:")
    assert hasher.verify(PASSWORD, stored)
    assert not hasher.verify("other", stored)
    assert not hasher.needs_rehash(stored)
    # The factory finds the hasher by its prefix alone.
    assert factory.verify(PASSWORD, stored)


def test_new_salts_differ(factory: PasswordFactory) -> None:
    assert factory.hash(PASSWORD) != factory.hash(PASSWORD)
    assert SaltedMd5Hasher(RANDOM).encode(PASSWORD) != SaltedMd5Hasher(RANDOM).encode(PASSWORD)


def test_bcrypt_layout_is_mediawikis() -> None:
    cost, salt, hash_ = BcryptHasher(cost=4).encode(PASSWORD).removeprefix(":bcrypt:").split("$")
    assert (cost, len(salt), len(hash_)) == ("4", 22, 31)


def test_argon2_defaults_are_phps() -> None:
    assert Argon2Hasher().encode(PASSWORD).startswith(":argon2:$argon2id$v=19$m=65536,t=4,p=1$")
    assert not Argon2Hasher().needs_rehash(MW_ARGON2)
    assert Argon2Hasher().needs_rehash(PHP_ARGON2ID_CHEAP)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (MW_PBKDF2_1000, False),
        (MW_PBKDF2_30000, True),
        (MW_PBKDF2_SHA256, True),
        (MW_A, True),
        (MW_B, True),
        (MW_LEGACY_A, True),
        (MW_BCRYPT, True),
        (MW_ARGON2, True),
        ("garbage", True),
    ],
)
def test_needs_update_when_type_or_parameters_differ(
    factory: PasswordFactory, stored: str, expected: bool
) -> None:
    assert factory.needs_update(stored) is expected


def test_needs_update_follows_the_default_type() -> None:
    bcrypt_default = PasswordFactory(RANDOM, default_type="bcrypt")
    assert not bcrypt_default.needs_update(MW_BCRYPT)
    assert bcrypt_default.needs_update(MW_PBKDF2_30000)
    assert bcrypt_default.hash(PASSWORD).startswith(":bcrypt:9$")


def test_unknown_default_type_is_refused() -> None:
    with pytest.raises(ValueError):
        PasswordFactory(RANDOM, default_type="md5")


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        ":",
        "::",
        ":nosuch:abc",
        "plain text",
        "8b573963aa778b0111693658bdcd2f1a",  # bare md5 without a user id
        ":pbkdf2:",
        ":pbkdf2:sha512:1000:64",
        ":pbkdf2:sha512:1000:64:salt",
        ":pbkdf2:sha512:x:64:AQXFcd79oOuuZP2rCMZXzA==:abc",
        ":pbkdf2:sha512:0:64:AQXFcd79oOuuZP2rCMZXzA==:abc",
        ":pbkdf2:nosuchalgo:1000:64:AQXFcd79oOuuZP2rCMZXzA==:abc",
        ":pbkdf2:sha512:1000:64:A:abc",  # bad base64 padding
        ":pbkdf2:sha512:1000:64:AQXFcd79oOuuZP2rCMZXzA==:é",
        ":A:",
        ":A:a:b:c",
        ":B:onlyhash",
        ":pbkdf2-legacyA:sha512:1000:64",
        ":pbkdf2-legacyB:!sha512:1000:64!!99nnhLXaVNrVzyTFkhCwPA==!abc",
        ":bcrypt:9$short$hash",
        ":bcrypt:99$JZYf9aU91tC.zPXrGv0EbO$QspxQsZXIZMwZAdpwOvKpjKiGhiBaLm",
        ":bcrypt:9$JZYf9aU91tC.zPXrGv0E!!$QspxQsZXIZMwZAdpwOvKpjKiGhiBaLm",
        ":argon2:",
        ":argon2:$argon2id$garbage",
        ":argon2:" + MW_BCRYPT,
    ],
)
def test_unusable_hashes_never_verify_and_never_raise(factory: PasswordFactory, stored) -> None:
    assert factory.verify(PASSWORD, stored) is False


def test_unencodable_password_does_not_raise(factory: PasswordFactory) -> None:
    assert factory.verify("\ud800", MW_PBKDF2_1000) is False


def test_dummy_verify_costs_about_a_real_verify() -> None:
    factory = PasswordFactory(RANDOM)
    stored = factory.hash(PASSWORD)

    def best_of_three(work) -> float:
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            work()
            timings.append(time.perf_counter() - start)
        return min(timings)

    real = best_of_three(lambda: factory.verify("wrong", stored))
    dummy = best_of_three(lambda: factory.dummy_verify("wrong"))
    assert 0.5 * real < dummy < 2 * real
