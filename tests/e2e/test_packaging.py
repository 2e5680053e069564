"""The wheel, installed as a client's CI installs it, serves a wiki on its own.

The repository is built into a wheel and installed with pip into a fresh virtual
environment (dependencies from the package index, through pip's usual cache).
The installed `wikigate` then runs from an unrelated directory with no
PYTHONPATH, so no file of the checkout can stand in for one the wheel forgot.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e_support import REPO, fail, skip_or_fail, stop_group

from wikigate.store.database import SCHEMA_REVISION

pytestmark = pytest.mark.e2e

# What a build of the wheel reads; copied out, because building in place would leave
# build/ and egg-info behind in the checkout.
BUILD_INPUTS = ("pyproject.toml", "README.md", "wikigate")


@dataclass(frozen=True)
class Installed:
    venv: Path
    elsewhere: Path  # the working directory of every command: not the checkout
    temp: Path  # TMPDIR of every command, to see what they leave behind
    env: dict[str, str]

    @property
    def wikigate(self) -> str:
        return str(self.venv / "bin" / "wikigate")

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    def run(self, *argv: str, env: dict[str, str] | None = None, timeout: float = 60) -> str:
        result = subprocess.run(argv, cwd=self.elsewhere, env={**self.env, **(env or {})}, capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode != 0:
            fail("installed wheel", f"`{' '.join(argv)}` exited {result.returncode}",
                 f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}")
        return result.stdout


def _clean_env(temp: Path) -> dict[str, str]:
    # Without PYTHONPATH (or an active venv) nothing points back at the checkout, and without
    # inherited WIKIGATE_* settings the installed server runs on its defaults.
    dropped = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items()
           if key not in dropped and not key.startswith("WIKIGATE_")}
    env.update({"TMPDIR": str(temp), "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def _pip(step: str, argv: list[str], env: dict[str, str], cwd: Path) -> None:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        skip_or_fail(step, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("packaging")
    source, wheels, venv = root / "source", root / "wheels", root / "venv"
    elsewhere, temp = root / "elsewhere", root / "tmp"
    for directory in (source, elsewhere, temp):
        directory.mkdir()
    for name in BUILD_INPUTS:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, source / name)
    env = _clean_env(temp)
    _pip("the wheel (pip wheel)", [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                                   str(source)], env, root)
    built = sorted(wheels.glob("wikigate-*.whl"))
    if len(built) != 1:
        fail("pip wheel", f"expected one wikigate wheel, found {[path.name for path in built]}")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=120)
    _pip("the wheel's dependencies (pip install)", [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                                                    str(built[0])], env, root)
    return Installed(venv=venv, elsewhere=elsewhere, temp=temp, env=env)


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return json.load(response)


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return process.stdout.readline()
        # The line is written whole and flushed, so once it is readable readline does not wait.
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            return process.stdout.readline()
    return ""


def test_the_installed_wheel_serves_a_throwaway_wiki_from_another_directory(installed: Installed) -> None:
    log = installed.elsewhere / "serve.log"
    with log.open("w") as errors:
        process = subprocess.Popen([installed.wikigate, "serve", "--ephemeral", "--port", "0"],
                                   cwd=installed.elsewhere, env=installed.env, stdout=subprocess.PIPE,
                                   stderr=errors, text=True, start_new_session=True)
    try:
        line = _first_line(process, timeout=30)
        if not line:
            fail("wikigate serve --ephemeral", "printed no line within 30 s", log.read_text(errors="replace"))
        announced = json.loads(line)
        assert set(announced) == {"api_url", "rest_url", "data_dir", "fixtures"}, line
        assert announced["fixtures"] == {}
        data_dir = Path(announced["data_dir"])
        assert data_dir.is_dir() and data_dir.parent == installed.temp, line
        api_url = announced["api_url"]

        siteinfo = _get_json(f"{api_url}?action=query&meta=siteinfo&format=json")["query"]["general"]
        assert "wikigate" in siteinfo["generator"]
        assert siteinfo["dbtype"] == "sqlite"
        tokens = _get_json(f"{api_url}?action=query&meta=tokens&type=csrf|login&format=json")["query"]["tokens"]
        assert tokens["csrftoken"] == "+\\"  # what MediaWiki gives a client that has not logged in
        assert len(tokens["logintoken"]) > 2 and tokens["logintoken"].endswith("+\\")
        # The container image's health check asks this route.
        with urllib.request.urlopen(api_url.replace("/w/api.php", "/healthz"), timeout=10) as response:
            assert response.read() == b"ok"
    finally:
        status = stop_group(process, grace=20)
    assert status == 0, log.read_text(errors="replace")
    assert not data_dir.exists(), "the throwaway data directory outlived the server"


def test_the_installed_package_carries_its_templates_data_and_migrations(installed: Installed) -> None:
    probe = """
import json
from importlib import resources
import wikigate
from wikigate.pages.base import TEMPLATES
from wikigate.store.database import MIGRATIONS_DIR

package = resources.files("wikigate")
TEMPLATES.get_template("oauth_authorize.html")  # the loader every page (the consent step too) uses
TEMPLATES.get_template("wikigate.css")
print(json.dumps({
    "package": wikigate.__file__,
    "data": sorted(entry.name for entry in package.joinpath("data").iterdir()),
    "env": (MIGRATIONS_DIR / "env.py").is_file(),
    "versions": sorted(path.name for path in (MIGRATIONS_DIR / "versions").glob("*.py")),
}))
"""
    found = json.loads(installed.run(installed.python, "-c", probe))
    assert Path(found["package"]).is_relative_to(installed.venv), found["package"]
    assert {"common-passwords.bin", "special-pages.json"} <= set(found["data"])
    assert found["env"], "the installed package has no migrations/env.py"
    in_checkout = sorted(path.name for path in (REPO / "wikigate/store/migrations/versions").glob("*.py"))
    assert found["versions"] == in_checkout


def _revision(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_the_installed_wheel_creates_a_fresh_database(installed: Installed, tmp_path: Path) -> None:
    output = installed.run(installed.wikigate, "db", "upgrade", env={"WIKIGATE_DATA_DIR": str(tmp_path)})
    assert output.strip() == "database is up to date"
    assert _revision(tmp_path / "wikigate.sqlite") == SCHEMA_REVISION


def test_the_installed_migrations_upgrade_a_database_of_the_first_release(installed: Installed,
                                                                          tmp_path: Path) -> None:
    # An empty database skips Alembic; one at the first revision needs every installed migration.
    database = tmp_path / "wikigate.sqlite"
    make_old = f"""
import asyncio
from wikigate.store.database import open_database

async def main():
    database = open_database("sqlite:///{database}")
    try:
        await database.upgrade("0001")
    finally:
        await database.close()

asyncio.run(main())
"""
    installed.run(installed.python, "-c", make_old)
    assert _revision(database) == "0001"
    output = installed.run(installed.wikigate, "db", "upgrade", env={"WIKIGATE_DATA_DIR": str(tmp_path)})
    assert output.strip() == "database is up to date"
    assert _revision(database) == SCHEMA_REVISION
