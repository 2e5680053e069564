"""Password policy with MediaWiki 1.39's ``$wgPasswordPolicy`` semantics.

A policy config maps a user group to its checks, each check to a setting. A setting is either
a bare value or ``{"value": v, "forceChange": bool, "suggestChangeOnLogin": bool}``. Values
grow stricter as they grow: a longer minimum length, ``True`` over ``False``.

* ``effective_policy`` merges the ``default`` group with every group the user is in, keeping
  the larger value and OR-ing the flags of each check.
* ``check_password`` runs every check of a merged policy and returns one ``PolicyIssue`` per
  failure, in policy order, the way MediaWiki fills its status.
* ``validity`` is ``action=validatepassword``'s answer for those issues; ``login_action`` is
  what a login with the password must do next.

Lengths are counted in UTF-8 bytes and the username comparison folds ASCII letters only,
because MediaWiki uses PHP's ``strlen`` and ``stripos`` (PHP 8.2+: ASCII case folding).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from wikigate.auth.common_passwords import is_common

Setting = int | Mapping[str, int]
"""A bare value (``bool`` is an ``int``), or a mapping with ``value`` and optional flags."""

GroupPolicy = Mapping[str, Setting]
PolicyConfig = Mapping[str, GroupPolicy]

T = TypeVar("T")

DEFAULT_PASSWORD_POLICY: PolicyConfig = {
    "bureaucrat": {"MinimalPasswordLength": 10, "MinimumPasswordLengthToLogin": 1},
    "sysop": {"MinimalPasswordLength": 10, "MinimumPasswordLengthToLogin": 1},
    "interface-admin": {"MinimalPasswordLength": 10, "MinimumPasswordLengthToLogin": 1},
    "bot": {"MinimalPasswordLength": 10, "MinimumPasswordLengthToLogin": 1},
    "default": {
        # 1.39 ships a minimum of 1, not 8: a one-character password is Good.
        "MinimalPasswordLength": {"value": 1, "suggestChangeOnLogin": True},
        "PasswordCannotBeSubstringInUsername": {"value": True, "suggestChangeOnLogin": True},
        "PasswordCannotMatchDefaults": {"value": True, "suggestChangeOnLogin": True},
        "MaximalPasswordLength": {"value": 4096, "suggestChangeOnLogin": True},
        "PasswordNotInCommonList": {"value": True, "suggestChangeOnLogin": True},
    },
}
"""MediaWiki 1.39's default ``$wgPasswordPolicy['policies']``, in its group order."""


class Validity(StrEnum):
    GOOD = "Good"
    CHANGE = "Change"
    INVALID = "Invalid"


class LoginAction(StrEnum):
    NONE = "none"
    SUGGEST = "suggest"
    FORCE = "force"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class PolicyIssue:
    """One failed check: MediaWiki's message key and parameters plus what it implies.

    ``fatal`` issues make the password unusable, even to log in. ``force_change`` and
    ``suggest_change`` are the flags of the setting whose check failed.
    """

    code: str
    params: tuple[object, ...] = ()
    fatal: bool = False
    force_change: bool = False
    suggest_change: bool = False


Check = Callable[[int, str, str | None], PolicyIssue | None]
"""A check gets the setting's value, the password and the username (if any)."""

# Credentials once shipped with MediaWiki's own installer and test suite: an account still
# holding one of them is as good as public.
_FORBIDDEN_LOGINS: Mapping[str, str] = {
    "Useruser": "Passpass",
    "Useruser1": "Passpass1",
    "Apitestsysop": "testpass",
    "Apitestuser": "testpass",
}
# The sample password printed in the API's change-credentials documentation.
_FORBIDDEN_PASSWORDS: tuple[str, ...] = ("ExamplePassword",)

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _byte_length(password: str) -> int:
    return len(password.encode("utf-8", "surrogatepass"))


def _same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


def minimal_password_length(value: int, password: str, username: str | None) -> PolicyIssue | None:
    """Shorter than ``value`` bytes: an error, so the user may still log in."""
    if value > _byte_length(password):
        return PolicyIssue("passwordtooshort", (value,))
    return None


def minimum_password_length_to_login(
    value: int, password: str, username: str | None
) -> PolicyIssue | None:
    """Shorter than ``value`` bytes: fatal, the account must be recovered another way."""
    if value > _byte_length(password):
        return PolicyIssue("passwordtooshort", (value,), fatal=True)
    return None


def maximal_password_length(value: int, password: str, username: str | None) -> PolicyIssue | None:
    """Longer than ``value`` bytes: fatal, so nobody makes the server hash huge inputs."""
    if value < _byte_length(password):
        return PolicyIssue("passwordtoolong", (value,), fatal=True)
    return None


def password_cannot_be_substring_in_username(
    value: int, password: str, username: str | None
) -> PolicyIssue | None:
    """The password occurs in the username, ignoring ASCII case (the empty one always does)."""
    if value and username is not None:
        if password.translate(_ASCII_LOWER) in username.translate(_ASCII_LOWER):
            return PolicyIssue("password-substring-username-match")
    return None


def password_cannot_match_defaults(
    value: int, password: str, username: str | None
) -> PolicyIssue | None:
    """A username/password pair, or a password, that MediaWiki itself once published."""
    if not value:
        return None
    expected = _FORBIDDEN_LOGINS.get(username) if username is not None else None
    if expected is not None and _same_secret(expected, password):
        return PolicyIssue("password-login-forbidden")
    if any(_same_secret(forbidden, password) for forbidden in _FORBIDDEN_PASSWORDS):
        return PolicyIssue("password-login-forbidden")
    return None


def password_not_in_common_list(
    value: int, password: str, username: str | None
) -> PolicyIssue | None:
    """Among the 100,000 most common passwords, as MediaWiki's Bloom filter answers it."""
    if value and is_common(password):
        return PolicyIssue("passwordincommonlist")
    return None


CHECKS: Mapping[str, Check] = {
    "MinimalPasswordLength": minimal_password_length,
    "MinimumPasswordLengthToLogin": minimum_password_length_to_login,
    "MaximalPasswordLength": maximal_password_length,
    "PasswordCannotBeSubstringInUsername": password_cannot_be_substring_in_username,
    "PasswordCannotMatchDefaults": password_cannot_match_defaults,
    "PasswordNotInCommonList": password_not_in_common_list,
}


def effective_policy(groups: Iterable[str], config: PolicyConfig) -> dict[str, Setting]:
    """The policy of a user in ``groups``: ``default`` made stricter by each of their groups.

    Groups are applied in the config's order, so checks keep ``default``'s order and checks
    that only a group names come after it, as in MediaWiki.
    """
    if "default" not in config:
        raise ValueError("a password policy config must have a 'default' group")
    member_of = set(groups)
    merged: dict[str, Setting] = dict(config["default"])
    for group, policy in config.items():
        if group in member_of:
            merged = _merge(merged, policy, _stricter_setting)
    return merged


def _merge(
    first: Mapping[str, T], second: Mapping[str, T], combine: Callable[[T, T], T]
) -> dict[str, T]:
    """Union of two mappings in ``first``'s key order; keys in both are ``combine``d."""
    result = dict(first)
    for key, value in second.items():
        result[key] = combine(first[key], value) if key in first else value
    return result


def _stricter_setting(a: Setting, b: Setting) -> Setting:
    """The larger value and every flag either side sets; a bare value acts as ``{"value": v}``."""
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        return _merge(_as_mapping(a), _as_mapping(b), max)
    return max(a, b)


def _as_mapping(setting: Setting) -> Mapping[str, int]:
    return setting if isinstance(setting, Mapping) else {"value": setting}


def check_password(
    password: str, *, username: str | None, policy: GroupPolicy
) -> list[PolicyIssue]:
    """Every way ``password`` fails ``policy`` (a merged policy, see ``effective_policy``).

    ``username`` is the name the password belongs to; for an anonymous caller MediaWiki uses
    the client's IP address. With ``None`` the checks that compare against a name pass.
    Failures with the same code and parameters are reported once, as MediaWiki's status
    keeps them, carrying the strongest of their flags.
    """
    issues: list[PolicyIssue] = []
    for name, setting in policy.items():
        check = CHECKS.get(name)
        if check is None:
            raise ValueError(f"no password policy check is called {name!r}")
        options = _as_mapping(setting)
        if "value" not in options:
            raise ValueError(f"password policy setting {name!r} has no value")
        issue = check(options["value"], password, username)
        if issue is not None:
            flagged = replace(
                issue,
                force_change=bool(options.get("forceChange")),
                suggest_change=bool(options.get("suggestChangeOnLogin")),
            )
            _add_issue(issues, flagged)
    return issues


def _add_issue(issues: list[PolicyIssue], new: PolicyIssue) -> None:
    for index, old in enumerate(issues):
        if (old.code, old.params) == (new.code, new.params):
            issues[index] = replace(
                old,
                fatal=old.fatal or new.fatal,
                force_change=old.force_change or new.force_change,
                suggest_change=old.suggest_change or new.suggest_change,
            )
            return
    issues.append(new)


def validity(issues: Sequence[PolicyIssue]) -> Validity:
    """``action=validatepassword``'s verdict: Invalid if any issue is fatal, Change if any."""
    if any(issue.fatal for issue in issues):
        return Validity.INVALID
    return Validity.CHANGE if issues else Validity.GOOD


def login_action(
    issues: Sequence[PolicyIssue], *, invalid_password_reset: bool = True
) -> LoginAction:
    """What a login with a password that has ``issues`` must do once the password is right.

    MediaWiki's local password provider checks the policy before it even verifies the hash:

    * A fatal issue fails the login with that issue's message (``FAIL``), whether or not the
      password was correct.
    * Otherwise, if ``$wgInvalidPasswordReset`` (``invalid_password_reset``) is on and there
      is any issue, the login passes but the user is sent to change the password: a change
      that cannot be skipped (``FORCE``) if a failing check has ``forceChange``, else a
      skippable one (``SUGGEST``) if a failing check has ``suggestChangeOnLogin``.
    * Failing checks with neither flag let the login through untouched (``NONE``).

    A reset demanded for other reasons (a temporary password, an expired one) is decided
    elsewhere.
    """
    if any(issue.fatal for issue in issues):
        return LoginAction.FAIL
    if not invalid_password_reset:
        return LoginAction.NONE
    if any(issue.force_change for issue in issues):
        return LoginAction.FORCE
    if any(issue.suggest_change for issue in issues):
        return LoginAction.SUGGEST
    return LoginAction.NONE
