"""action=paraminfo in the shape pywikibot's ParamInfo insists on."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api


async def _modules(api: Api, names: str) -> dict[str, Any]:
    body = (await api.post(action="paraminfo", modules=names)).json()
    return {module["path"]: module for module in body["paraminfo"]["modules"]}


def _param(module: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in module["parameters"] if p["name"] == name)


async def test_integer_defaults_are_shown_as_numbers(api: Api) -> None:
    main = (await _modules(api, "main"))["main"]
    assert _param(main, "smaxage")["default"] == 0
    assert _param(main, "action")["default"] == "help"


async def test_every_query_group_lists_its_submodules(api: Api) -> None:
    modules = await _modules(api, "main|query")
    action = _param(modules["main"], "action")
    assert set(action["type"]) == set(action["submodules"])
    for group in ("prop", "list", "meta"):
        param = _param(modules["query"], group)
        assert isinstance(param["submodules"], dict), group
        assert set(param["submodules"]) == set(param["type"]), group
        assert all(path == f"query+{name}" for name, path in param["submodules"].items())
        assert param["limit"] == 50
    assert "tokens" in _param(modules["query"], "meta")["submodules"]
