"""The examples of docs/testing-clients.md, run as a client author would run them.

The Python ones are test files for the pytest plugin: each runs in a pytest of its
own, in a directory of its own, with only what installing wikigate provides. The
mwn one is a Node program that starts its own server. Each arms faults and checks
that its client got through them (or reported them), so what the page says about
each client's handling is seen here, not assumed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from e2e_support import BIN, PYTHON, run_program

pytestmark = pytest.mark.e2e

PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing-clients.md"
_BLOCK = re.compile(r"```(?:python|js)\n(?:#|//) file: (?P<name>\S+)\n(?P<code>.*?)```", re.DOTALL)


def examples() -> dict[str, str]:
    return {match["name"]: match["code"] for match in _BLOCK.finditer(PAGE.read_text())}


def _clean_env(directory: Path) -> dict[str, str]:
    # What a client author's CI has: the installed wikigate on PATH, none of this repository's settings.
    env = {key: value for key, value in os.environ.items() if not key.startswith(("WIKIGATE_", "PYWIKIBOT"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(directory)
    return env


def test_the_page_has_an_example_for_each_client() -> None:
    assert sorted(examples()) == ["mwn_with_wikigate.mjs", "test_mwapi_with_wikigate.py",
                                  "test_mwclient_with_wikigate.py", "test_pywikibot_with_wikigate.py"]


@pytest.mark.parametrize("name", ["test_pywikibot_with_wikigate.py", "test_mwclient_with_wikigate.py",
                                  "test_mwapi_with_wikigate.py"])
def test_a_python_example_passes_with_the_pytest_plugin(name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_text(examples()[name])
    output = run_program(name, [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore", name],
                         cwd=tmp_path, env=_clean_env(tmp_path), timeout=300)
    expected = len(re.findall(r"^def test_", examples()[name], re.MULTILINE))
    assert re.search(rf"\b{expected} passed\b", output), output


def test_the_mwn_example_gets_through_a_lost_session_read_only_and_lag(node_modules: Path, tmp_path: Path) -> None:
    program = node_modules.parent / "mwn_with_wikigate.mjs"  # beside node_modules, so `import 'mwn'` finds it
    program.write_text(examples()["mwn_with_wikigate.mjs"])
    try:
        output = run_program("mwn example", ["node", str(program)], cwd=tmp_path, env=_clean_env(tmp_path),
                             timeout=120)
    finally:
        program.unlink()
    # mwn says what it did about each fault; these lines are its own.
    assert "Received assertuserfailed, attempting to log in and retry" in output, output
    assert "Encountered badtoken error, fetching new token and retrying" in output, output
    assert "Encountered readonly error" in output, output
    assert "Encountered maxlag: 6 seconds lagged" in output, output
    assert "mwn example: done" in output, output
