"""Finds the API modules: one Python file per module under `api/modules/`.

A module file declares, at the top, `NAME`, `PARAMS` (a tuple, or a function
of the registry for parameters whose values are other modules) and optionally `PREFIX`,
`GROUP` (meta, list or prop for query submodules), `MUST_POST`, `WRITE`,
`READ`, `TOKEN`, `GENERATOR`, `CACHE_MODE`, `DESCRIPTION`, and defines
`async def execute`.
Adding a module means adding a file; nothing else lists modules.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from wikigate.api.params import Param

QUERY_GROUPS = ("prop", "list", "meta")


@dataclass(frozen=True, slots=True)
class ModuleSpec:
    name: str
    path: str  # `protect`, `query+tokens`
    group: str | None
    prefix: str
    params: tuple[Param, ...]
    execute: Callable[..., Awaitable[Any]]
    must_post: bool
    write: bool
    read: bool
    token: str | None
    generator: bool
    description: str
    examples: tuple[tuple[str, str], ...]
    source: ModuleType
    # How responses may be cached: "private" (the default) or "public" (same for everyone).
    cache_mode: str = "private"

    @property
    def token_param(self) -> str:
        return self.prefix + "token"


def _spec(module: ModuleType, registry: Registry) -> ModuleSpec:
    group = getattr(module, "GROUP", None)
    params = module.PARAMS(registry) if callable(module.PARAMS) else module.PARAMS
    name = module.NAME
    token = getattr(module, "TOKEN", None)
    return ModuleSpec(
        name=name,
        path=f"query+{name}" if group else name,
        group=group,
        prefix=getattr(module, "PREFIX", ""),
        params=tuple(params),
        execute=module.execute,
        # Needing a token implies a POST, as in MediaWiki.
        must_post=bool(getattr(module, "MUST_POST", False) or token),
        write=bool(getattr(module, "WRITE", False)),
        read=bool(getattr(module, "READ", True)),
        token=token,
        generator=bool(getattr(module, "GENERATOR", False)),
        description=getattr(module, "DESCRIPTION", (module.__doc__ or "").strip().splitlines()[0]),
        examples=tuple(getattr(module, "EXAMPLES", ())),
        source=module,
        cache_mode=getattr(module, "CACHE_MODE", "private"),
    )


class Registry:
    def __init__(self) -> None:
        self.actions: dict[str, ModuleSpec] = {}
        self.query: dict[str, dict[str, ModuleSpec]] = {group: {} for group in QUERY_GROUPS}
        # Found by name, not imported: the framework never depends on a module statically.
        modules = importlib.import_module("wikigate.api.modules")
        query = importlib.import_module("wikigate.api.modules.query")
        actions: list[ModuleType] = []
        for package in (modules, query):
            for info in pkgutil.iter_modules(package.__path__):
                if info.ispkg and package is modules:
                    continue
                module = importlib.import_module(f"{package.__name__}.{info.name}")
                if not hasattr(module, "NAME"):
                    continue
                if getattr(module, "GROUP", None):
                    self.query[module.GROUP][module.NAME] = _spec(module, self)
                else:
                    actions.append(module)
        # Actions come after the query submodules: their parameters may list them (query's
        # prop/list/meta, paraminfo's querymodules).
        if hasattr(query, "NAME"):
            actions.append(query)
        for module in actions:
            self.actions[module.NAME] = _spec(module, self)
        self.actions = dict(sorted(self.actions.items()))
        for group in QUERY_GROUPS:
            self.query[group] = dict(sorted(self.query[group].items()))

    def by_path(self, path: str) -> ModuleSpec | None:
        if path.startswith("query+"):
            name = path[len("query+"):]
            for group in QUERY_GROUPS:
                if name in self.query[group]:
                    return self.query[group][name]
            return None
        return self.actions.get(path)
