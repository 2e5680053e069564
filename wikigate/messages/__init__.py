"""The message catalogue: message key -> English text in MediaWiki's markup.

Texts are written for this project; keys, parameters and meaning follow
MediaWiki so that clients keyed on `code` or `messagecode` behave the same.
Each area keeps its messages in its own file of this package.

Markup understood by `render`: `$1`..`$9` parameters, `{{PLURAL:$1|one|more}}`,
`<var>name</var>` (a parameter name), `<code>x</code>`, `[[Target|label]]`
and `[[Target]]`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from wikigate.messages import auth, blocks, core, fr, help_fr, help_tr, pages, passwords, tr, web
from wikigate.wikitext.escape import escape_wikitext

CATALOGUE: dict[str, str] = {**core.MESSAGES, **auth.MESSAGES, **passwords.MESSAGES, **pages.MESSAGES,
                              **blocks.MESSAGES, **web.MESSAGES}
# The languages the messages are written in; English is the fallback for every other.
TRANSLATIONS: dict[str, dict[str, str]] = {"en": CATALOGUE, "fr": fr.MESSAGES, "tr": tr.MESSAGES}
LANGUAGES = tuple(TRANSLATIONS)
# Module help (action=help, paraminfo) in the other languages; English is the modules' declarations.
HELP: dict[str, dict[str, str]] = {"fr": help_fr.MESSAGES, "tr": help_tr.MESSAGES}


def help_text(key: str, english: str, lang: str) -> str:
    """A module's help text (`apihelp-<path>-summary`, `-param-<name>`, `-example-<n>`) in a language."""
    return HELP.get(language_for(lang), {}).get(key, english)


# How a phrase list ends ("a, b and c").
AND = {"en": " and ", "fr": " et ", "tr": " ve "}


def language_for(code: str) -> str:
    """The language messages are shown in for a requested code (`fr-ca` is shown in French)."""
    if code in TRANSLATIONS:
        return code
    base = code.replace("_", "-").split("-", 1)[0]
    return base if base in TRANSLATIONS else "en"


@dataclass(frozen=True, slots=True)
class Message:
    """A message key with its parameters; parameters may themselves be messages."""

    key: str
    params: tuple[Any, ...] = ()
    # Message texts used when the key is not in the catalogue (e.g. joined lists).
    fallback: str | None = None

    def text(self, fmt: str = "plaintext", lang: str = "en") -> str:
        return render(self, fmt, lang)


@dataclass(frozen=True, slots=True)
class RawText:
    """Literal text from a user passed as a message parameter; never parsed.

    Shown as given in plain text, and escaped (wfEscapeWikiText's way) in wikitext,
    HTML and raw errors, as MediaWiki passes such text.
    """

    value: str


@dataclass(frozen=True, slots=True)
class Plaintext:
    """Text shown as it is, which raw errors tag as `{"plaintext": ...}` (MediaWiki's parameter validator's).

    A number stays a number there (a namespace among the allowed values, say), as in MediaWiki.
    """

    value: str | int


@dataclass(frozen=True, slots=True)
class Num:
    """A number, shown with digit grouping; raw errors tag it as `{"num": ...}`."""

    value: int | float | str  # "" stands for a bound that does not exist, as MediaWiki sends it


@dataclass(frozen=True, slots=True)
class TextList:
    """A list shown joined by commas (`comma`) or as a phrase (`text`: "a, b and c").

    Raw errors send `{"list": [...], "type": ...}`. `keys`, when given, are the items'
    positions in some larger list, which MediaWiki's raw errors keep (a list whose
    positions are not 0, 1, 2 … goes out as an object keyed by them).
    """

    items: tuple[Any, ...]
    type: str = "comma"
    keys: tuple[int, ...] | None = None


_PLURAL = re.compile(r"\{\{PLURAL:\$(\d)\|([^{}]*)\}\}")
_PARAM = re.compile(r"\$(\d)")
_LINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]*))?\]\]")
_TAG = re.compile(r"</?(var|code|kbd|strong|em|b|i)>")


def template(key: str, lang: str = "en") -> str:
    found = TRANSLATIONS[language_for(lang)].get(key)
    return found if found is not None else CATALOGUE.get(key, f"⧼{key}⧽")


def param_text(value: Any, fmt: str, lang: str = "en") -> str:
    if isinstance(value, Message):
        return render(value, fmt, lang)
    if isinstance(value, RawText):
        # Inert where markup would be read; plain text shows it as given.
        return value.value if fmt == "plaintext" else escape_wikitext(value.value)
    if isinstance(value, Plaintext):
        return str(value.value)
    if isinstance(value, Num):
        return f"{value.value:,}" if isinstance(value.value, (int, float)) else value.value
    if isinstance(value, TextList):
        texts = [param_text(item, fmt, lang) for item in value.items]
        if value.type == "text" and len(texts) > 1:
            return ", ".join(texts[:-1]) + AND[language_for(lang)] + texts[-1]
        return ", ".join(texts)
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None:  # PHP's null, shown as nothing
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(param_text(item, fmt, lang) for item in value)
    return str(value)


def _plural(match: re.Match[str], params: tuple[Any, ...], lang: str) -> str:
    index = int(match.group(1)) - 1
    forms = match.group(2).split("|")
    try:
        number = abs(float(param_text(params[index], "plaintext").replace(",", "")))
    except (IndexError, ValueError):
        number = 2
    # French counts 0 with 1 (le singulier); English and Turkish only 1.
    singular = number < 2 if language_for(lang) == "fr" else number == 1
    return forms[0] if singular or len(forms) == 1 else forms[1]


def render(message: Message, fmt: str = "plaintext", lang: str = "en") -> str:
    """Render for an errorformat (plaintext, wikitext or html), in a language of TRANSLATIONS."""
    text = message.fallback if message.key not in CATALOGUE and message.fallback else template(message.key, lang)
    text = _PLURAL.sub(lambda m: _plural(m, message.params, lang), text)

    def substitute(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        if index >= len(message.params):
            return match.group(0)
        param = message.params[index]
        value = param_text(param, fmt, lang)
        # Escaped literal text is already safe HTML: its references must not be escaped again.
        return html.escape(value, quote=False) if fmt == "html" and not isinstance(param, RawText) else value

    if fmt == "html":
        text = _LINK.sub(lambda m: f'<a href="/w/index.php/{m.group(1).replace(" ", "_")}">{m.group(2) or m.group(1)}</a>', text)
        return _PARAM.sub(substitute, text)
    text = _PARAM.sub(substitute, text)
    if fmt == "wikitext":
        return text
    # Like MediaWiki's bc error text, plain text keeps wiki links as written.
    return _TAG.sub(lambda m: '"' if m.group(1) == "var" else "", text)
