"""User preferences (action=options): which MediaWiki 1.39 lets a user set, and what values it accepts.

The registered preferences are those MediaWiki 1.39 (with OATHAuth) shows
on Special:Preferences, found by setting each default on the reference
wiki; the others among the defaults are internal and refused, as there.
Choices are checked for the preferences that are choices; `userjs-` ones
take any value up to 65,530 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikigate.config import DEFAULT_USER_OPTIONS

REGISTERED = frozenset({
    "ccmeonemails", "date", "diffonly", "disablemail", "editfont", "editondblclick", "editsectiononrightclick",
    "email-allow-new-users", "extendwatchlist", "fancysig", "forceeditsummary", "gender", "hideminor",
    "imagesize", "minordefault", "nickname", "pst-cssjs", "norollbackdiff", "previewonfirst", "previewontop",
    "rcdays", "rcenhancedfilters-disable", "rclimit", "search-match-redirect", "search-special-page",
    "searchlimit", "showhiddencats", "skin", "thumbsize", "underline", "uselivepreview", "usenewrc",
    "watchcreations", "watchdefault", "watchuploads", "watchlistdays", "watchlisthideanons", "watchlisthidebots",
    "watchlisthideliu", "watchlisthideminor", "watchlisthideown", "watchlistunwatchlinks", "watchmoves",
    "wlenhancedfilters-disable", "wllimit", "useeditwarning", "skin-responsive", "language", "variant-ban",
    "variant-crh", "variant-gan", "variant-iu", "variant-kk", "variant-ku", "variant-shi", "variant-sr",
    "variant-tg", "variant-uz", "variant-zh", *(f"searchNs{n}" for n in range(16)),
})
CHOICES: dict[str, frozenset[str]] = {
    "date": frozenset({"default", "mdy", "dmy", "ymd", "ISO 8601"}),
    "editfont": frozenset({"monospace", "sans-serif", "serif"}),
    "gender": frozenset({"male", "female", "unknown"}),
    "skin": frozenset({"vector-2022"}),
    "underline": frozenset({"0", "1", "2"}),
    "imagesize": frozenset(str(n) for n in range(8)),
    "thumbsize": frozenset(str(n) for n in range(8)),
    "language": frozenset({"en", "fr", "tr"}),
}
USERJS_MAX_BYTES = 65530
# resetkinds values, and which preferences each covers.
RESET_KINDS = ("all", "registered", "registered-checkmatrix", "registered-multiselect", "special", "unused", "userjs")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a preference was not set: a message key and its parameters."""

    key: str
    params: tuple[object, ...] = ()


def check(name: str, value: str | None) -> Refusal | None:
    """None when `name` may take `value` (None: back to the default)."""
    if name in REGISTERED:
        choices = CHOICES.get(name)
        if value is not None and choices is not None and value not in choices:
            return Refusal("htmlform-select-badoption")
        return None
    if name.startswith("userjs-"):
        if value is not None and len(value.encode("utf-8")) > USERJS_MAX_BYTES:
            return Refusal("apiwarn-validationfailed-keytoolong", (USERJS_MAX_BYTES,))
        return None
    return Refusal("apiwarn-validationfailed-badpref")


def kind_of(name: str) -> str:
    """The reset kind a stored preference belongs to."""
    if name in REGISTERED:
        return "registered"
    if name.startswith("userjs-"):
        return "userjs"
    return "unused"


def effective_options(stored: dict[str, str]) -> dict[str, object]:
    """The defaults, overlaid by what the user set."""
    return {**DEFAULT_USER_OPTIONS, **stored}
