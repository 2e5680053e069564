"""The conformance replay: every scenario against one in-process wikigate that
holds the reference wiki's users, bot password and pages (seeded through the
account services), run once per test session."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "conformance.py"


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("conformance_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tool() -> ModuleType:
    return load_tool()


@pytest.fixture(scope="session")
def wikigate_answers(tool: ModuleType, pg_database: str | None,
                     tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = tool.wikigate_settings(tmp_path_factory.mktemp("conformance"), database_url=pg_database or "")
    scenarios = tool.load_scenarios()
    return dict(asyncio.run(tool.replay_against_wikigate(scenarios, settings=settings)))
