"""Every message in every language the server speaks: the same keys, the same parameters."""

from __future__ import annotations

import re

import pytest

from wikigate.messages import CATALOGUE, LANGUAGES, TRANSLATIONS, Message, render

PARAMETER = re.compile(r"\$(\d)")
PLURAL = re.compile(r"\{\{PLURAL:\$(\d)\|")
MARKUP = re.compile(r"</?(?:var|code|kbd|em)>|\[\[[^\]|]+")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_language_has_every_key_and_no_other(lang: str) -> None:
    assert sorted(set(CATALOGUE) - set(TRANSLATIONS[lang])) == []
    assert sorted(set(TRANSLATIONS[lang]) - set(CATALOGUE)) == []


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_translation_shows_the_same_parameters_and_markup(lang: str) -> None:
    wrong = []
    for key, english in CATALOGUE.items():
        text = TRANSLATIONS[lang][key]
        # A count that only chooses a plural form may go unshown where the language needs no plural.
        shown = set(PARAMETER.findall(PLURAL.sub("", english)))
        counts_only = set(PLURAL.findall(english)) - shown
        if not shown <= set(PARAMETER.findall(text)) or not set(PARAMETER.findall(text)) <= shown | counts_only:
            wrong.append(f"{key}: parameters")
        if sorted(MARKUP.findall(text)) != sorted(MARKUP.findall(english)):
            wrong.append(f"{key}: markup")
    assert wrong == []


def test_french_and_turkish_plural_rules() -> None:
    assert render(Message("duration-seconds", (0,)), lang="fr") == "0 seconde"
    assert render(Message("duration-seconds", (0,)), lang="en") == "0 seconds"
    assert render(Message("duration-seconds", (2,)), lang="fr") == "2 secondes"
    assert render(Message("duration-seconds", (5,)), lang="tr") == "5 saniye"


def test_a_regional_code_falls_back_to_its_language_then_english() -> None:
    missing = Message("paramvalidator-missingparam", ("x",))
    assert render(missing, lang="fr-ca") == render(missing, lang="fr") == 'Le paramètre "x" doit être renseigné.'
    assert render(missing, lang="de") == render(missing, lang="en")


def _help_keys() -> dict[str, str]:
    """Every help text a module declares, by its key, with its English text."""
    from wikigate.api.docs import help_key
    from wikigate.api.main import FORMAT_PARAMS, main_params
    from wikigate.api.registry import Registry

    registry = Registry()
    keys = {f"apihelp-main-param-{p.name}": p.help for p in main_params(list(registry.actions))}
    keys.update({f"apihelp-json-param-{p.name}": p.help for p in FORMAT_PARAMS})
    for spec in [*registry.actions.values(), *(s for group in registry.query.values() for s in group.values())]:
        key = help_key(spec)
        keys[f"{key}-summary"] = spec.description
        keys.update({f"{key}-param-{p.name}": p.help for p in spec.params})
        keys.update({f"{key}-example-{n}": text for n, (_, text) in enumerate(spec.examples, start=1)})
    return keys


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_modules_help_is_in_every_language(lang: str) -> None:
    from wikigate.messages import HELP

    keys = _help_keys()
    assert sorted(set(keys) - set(HELP[lang])) == []
    assert sorted(set(HELP[lang]) - set(keys)) == []  # no help left behind by a removed parameter
