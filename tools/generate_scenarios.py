"""Write conformance scenarios for every parameter of every module, from the declarations.

    .venv/bin/python tools/generate_scenarios.py      # writes tests/conformance/scenarios/gen-*.json
    .venv/bin/python tools/generate_scenarios.py block unblock   # only these modules' files

For each module wikigate serves (but the few listed in SKIPPED) and each of its
parameters, one request per class of value the parameter's type has (a valid
one, an empty one, a malformed one, `max` and out-of-range limits, duplicates,
the U+001F multi-value form …), the other parameters set to what makes the
request otherwise sound. Each request goes out twice: formatversion 1 with the
bc errorformat, and formatversion 2 with the raw one (MediaWiki's message keys
and parameters); the first class of each parameter also in plaintext. Modules
in COMPACT (many booleans, few classes worth telling apart) get fewer: a
boolean is sent only present and only with the raw errorformat, any other
class but the first only with the raw errorformat, and nothing in plaintext. Record
MediaWiki's answers with `tools/conformance.py record` as for the hand-written
scenarios; the generated files are data and are committed with their fixtures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wikigate.api.params import Param  # noqa: E402
from wikigate.api.registry import QUERY_GROUPS, ModuleSpec, Registry  # noqa: E402

SCENARIO_DIR = ROOT / "tests" / "conformance" / "scenarios"
# help and paraminfo describe modules in words and class names of their own; the account
# changing modules would change the reference wiki's accounts; resetpassword sends mail.
SKIPPED = {"help", "paraminfo", "createaccount", "changeauthenticationdata", "removeauthenticationdata",
           "resetpassword"}
RETURN_URL = "http://127.0.0.1:8081/"
# What makes each action's request sound, apart from the parameter under test. Anonymous
# requests throughout: edit-class tokens are then `+\`, and nothing needs a login.
ACTION_BASE: dict[str, dict[str, str]] = {
    "clientlogin": {"username": "Alice", "password": "wrong-password", "loginreturnurl": RETURN_URL,
                    "logintoken": "{logintoken}"},
    "edit": {"title": "Conformance {unique} generated", "text": "Generated.", "token": "+\\"},
    "login": {"lgname": "Alice", "lgpassword": "wrong-password", "lgtoken": "{logintoken}"},
    "logout": {"token": "+\\"},
    "protect": {"title": "Conformance {unique} generated", "protections": "edit=sysop", "token": "+\\"},
    "userrights": {"user": "Alice", "token": "+\\"},
    "validatepassword": {"password": "Generated-Password-9"},
    "move": {"from": "Conformance {unique} generated", "to": "Conformance {unique} generated 2", "token": "+\\"},
    "delete": {"title": "Conformance {unique} generated", "token": "+\\"},
    "undelete": {"title": "Conformance {unique} generated", "token": "+\\"},
    "rollback": {"title": "Conformance {unique} generated", "user": "Alice", "token": "+\\"},
    "patrol": {"rcid": "1", "token": "+\\"},
    "watch": {"titles": "Main Page", "token": "+\\"},
    "options": {"change": "date=dmy", "token": "+\\"},
    "parse": {"text": "Generated.", "prop": "wikitext"},
    # Anonymous, so nothing is ever blocked: what is compared is how the parameters are read.
    "block": {"user": "192.0.2.250", "token": "+\\"},
    "unblock": {"user": "192.0.2.250", "token": "+\\"},
}
COMPACT = {"block", "unblock", "blocks"}
LOGIN_TOKEN_MODULES = {"clientlogin", "login"}


def values_for(param: Param) -> list[tuple[str, str]]:
    """(class, value) pairs worth sending for a parameter of this declaration."""
    kind = param.type
    if isinstance(kind, tuple):
        choices = [choice for choice in kind if choice]
        found = [("valid", choices[0] if choices else ""), ("unknown", "bogus-value"), ("empty", "")]
        if param.multi and len(choices) > 1:
            found += [("two", f"{choices[0]}|{choices[-1]}"), ("duplicate", f"{choices[0]}|{choices[0]}"),
                      ("unitsep", f"\x1f{choices[0]}\x1f{choices[-1]}"), ("partly-unknown", f"{choices[0]}|bogus")]
        if param.allow_all:
            found.append(("all", "*"))
        return found
    if kind == "boolean":
        return [("present", "1"), ("empty", "")]
    if kind == "integer":
        return [("valid", "1"), ("word", "abc"), ("empty", ""), ("huge", "99999999999999999999999"),
                ("negative", "-1")]
    if kind == "limit":
        return [("valid", "2"), ("max", "max"), ("zero", "0"), ("above", "100000"), ("word", "abc")]
    if kind == "namespace":
        found = [("valid", "0"), ("unknown", "99999"), ("word", "abc")]
        if param.multi:
            found += [("two", "0|1"), ("partly-unknown", "1|99999")]
        return found
    if kind == "timestamp":
        return [("iso", "2020-01-01T00:00:00Z"), ("mw", "20200101000000"), ("now", "now"), ("zero", "0"),
                ("bad", "not-a-time")]
    if kind == "user":
        return [("valid", "Alice"), ("ip", "192.0.2.1"), ("invalid", "Bad[name"), ("empty", "")]
    if kind == "password" or param.sensitive:
        return [("valid", "Some-Password-1"), ("empty", "")]
    return [("valid", "Main Page"), ("empty", ""), ("unitsep", "\x1fMain Page")]


# Lists filtered to what both wikis hold alike (nothing, mostly): the wikis' histories differ,
# and what is compared here is how each parameter is read.
LIST_BASE: dict[str, dict[str, str]] = {
    "logevents": {"letype": "protect", "letitle": "Main Page"},
    "protectedtitles": {"ptnamespace": "13"},
    # Titles and users no scenario ever makes, so that the lists are empty on both wikis.
    "recentchanges": {"rctitle": "Conformance generated nowhere"},
    "watchlist": {},
    "usercontribs": {"ucuser": "Nobody generated here", "ucnamespace": "13"},
    "allusers": {"auprefix": "Zzz generated", "auto": "Aaaa"},
    "users": {"ususers": "Alice"},
    # Nothing is blocked on either wiki between the hand-written block scenarios.
    "blocks": {},
}
# Namespaces that hold nothing on either wiki, for list filters.
QUIET_NAMESPACES = {"valid": "13", "two": "13|15", "partly-unknown": "13|99999"}
QUIET_NAMESPACE_LISTS = {**QUIET_NAMESPACES, "unknown": "13|99999|-5", "word": "13|abc"}


def base_of(spec: ModuleSpec) -> dict[str, str]:
    if spec.group:
        base = {"action": "query", spec.group: spec.name, **LIST_BASE.get(spec.name, {})}
        if spec.group == "prop":
            base["titles"] = "Main Page"
        return base
    return {"action": spec.name, **ACTION_BASE.get(spec.name, {})}


# A write module's page parameters must name a page of its own: Main Page is what the
# hand-written scenarios read, on both wikis.
WRITE_TARGETS = {"title": "Conformance {unique} generated", "pageid": "99999999"}


def scenarios_for(spec: ModuleSpec) -> list[dict[str, Any]]:
    base = base_of(spec)
    method = "POST" if spec.must_post else "GET"
    found: list[dict[str, Any]] = []
    for param in spec.params:
        if param.submodules or param.name in ("token", "continue"):
            continue  # tokens and continuations have scenarios of their own
        full = spec.prefix + param.name
        choices = values_for(param)
        compact = spec.name in COMPACT
        if compact and param.type == "boolean":
            choices = choices[:1]
        if spec.group == "list" and param.type == "namespace":
            quiet = QUIET_NAMESPACE_LISTS if param.multi else QUIET_NAMESPACES
            choices = [(label, quiet.get(label, value)) for label, value in choices]
        if spec.write and param.name in WRITE_TARGETS:
            choices = [(label, WRITE_TARGETS[param.name] if label == "valid"
                        else value.replace("Main Page", WRITE_TARGETS["title"])) for label, value in choices]
        for index, (label, value) in enumerate(choices):
            variants = [("", {}), ("-fv2-raw", {"formatversion": "2", "errorformat": "raw"})]
            if compact and (index > 0 or param.type == "boolean"):
                variants = variants[1:]
            if index == 0 and not compact:
                variants.append(("-fv2-plaintext", {"formatversion": "2", "errorformat": "plaintext"}))
            for suffix, output in variants:
                steps: list[dict[str, Any]] = []
                if spec.name in LOGIN_TOKEN_MODULES:
                    steps.append({"token": "login"})
                steps.append({"method": method, "params": {**base, full: value, **output}})
                found.append({"name": f"gen-{spec.name}-{param.name}-{label}{suffix}", "steps": steps})
    return found


def served(registry: Registry) -> list[ModuleSpec]:
    specs = [spec for name, spec in registry.actions.items() if name not in SKIPPED and name != "query"]
    specs += [spec for group in QUERY_GROUPS for spec in registry.query[group].values()]
    return specs


def main(only: list[str]) -> None:
    registry = Registry()
    if not only:
        for old in SCENARIO_DIR.glob("gen-*.json"):
            old.unlink()
    total = 0
    for spec in served(registry):
        if only and spec.name not in only:
            continue
        scenarios = scenarios_for(spec)
        if not scenarios:
            continue
        document = {"module": f"gen-{spec.name}", "generated": "tools/generate_scenarios.py", "scenarios": scenarios}
        (SCENARIO_DIR / f"gen-{spec.name}.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        total += len(scenarios)
    print(f"{total} scenarios written")


if __name__ == "__main__":
    main(sys.argv[1:])
