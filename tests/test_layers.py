"""The package's layers import in one direction only, with no circles.

From the top: the entry points (the composition root, the ASGI app, the CLI),
the API modules, the API framework, the services, then authentication and
mail, the store (the only place that knows SQL), and the pure rules at the
bottom. A file may import its own package and anything below its layer, never
above; an API module never imports another module; a change that breaks this
fails here with the offending import named.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "wikigate"

# Top to bottom. A module belongs to the first (longest) prefix that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("wikigate.app", "wikigate.asgi", "wikigate.cli", "wikigate.server", "wikigate.logsetup", "wikigate.rest",
     "wikigate.pages", "wikigate.testapi", "wikigate.testing", "wikigate.fixtures", "wikigate.__main__"),
    ("wikigate.api.modules",),
    ("wikigate.api",),
    ("wikigate.services",),
    ("wikigate.auth", "wikigate.mail"),
    ("wikigate.store",),
    ("wikigate.config", "wikigate.clock", "wikigate.randomness", "wikigate.metrics", "wikigate.netranges",
     "wikigate.titles", "wikigate.usernames",
     "wikigate.timeutil", "wikigate.messages", "wikigate.specialpages", "wikigate.wikitext", "wikigate"),
)
SQL_LIBRARIES = ("sqlalchemy", "alembic", "asyncpg", "aiosqlite", "sqlite3")


@dataclass(frozen=True, slots=True)
class Import:
    source: str
    target: str  # a wikigate module, or the top-level name of a library
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}


def resolve(name: str) -> str:
    """The wikigate module an import names (`from wikigate.api import formats` names wikigate.api.formats)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports(source: str) -> Iterator[Import]:
    tree = ast.parse(MODULES[source].read_text())
    type_only_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                type_only_lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            target = resolve(name) if name.startswith("wikigate") else name.split(".")[0]
            yield Import(source, target, node.lineno, node.lineno in type_only_lines)


ALL_IMPORTS = [found for source in sorted(MODULES) for found in imports(source)]
INTERNAL = [found for found in ALL_IMPORTS if found.target.startswith("wikigate")]


def layer_of(module: str) -> tuple[int, str]:
    """The layer's index (0 is the top) and the prefix that placed the module there."""
    best: tuple[int, str] | None = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (index, prefix)
    assert best is not None, module
    return best


def allowed(found: Import) -> bool:
    source_layer, source_prefix = layer_of(found.source)
    target_layer, target_prefix = layer_of(found.target)
    if found.target == "wikigate" or target_layer > source_layer:
        return True
    if target_layer != source_layer:
        return False
    # The entry points may build on one another, and so may the rules; the packages of one
    # layer in between (auth and mail) stay apart.
    return source_layer in (0, len(LAYERS) - 1) or source_prefix == target_prefix


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_imports_point_down() -> None:
    upward = [f"{f.source} (line {f.line}) imports {f.target}" for f in INTERNAL if not allowed(f)]
    assert upward == [], "imports of a layer above or beside:\n" + "\n".join(upward)


def test_api_modules_never_import_one_another() -> None:
    offending = [f for f in INTERNAL if f.source.startswith("wikigate.api.modules")
                 and f.target.startswith("wikigate.api.modules") and f.target != f.source]
    assert offending == []


def test_api_modules_never_reach_the_store() -> None:
    offending = [f for f in INTERNAL if f.source.startswith("wikigate.api") and f.target.startswith("wikigate.store")]
    assert offending == []


def test_only_the_store_knows_sql() -> None:
    offending = [f for f in ALL_IMPORTS if f.target in SQL_LIBRARIES and not f.source.startswith("wikigate.store")]
    assert offending == []


def test_no_import_circles() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in INTERNAL:
        if not found.type_only and found.target != found.source:
            graph[found.source].add(found.target)
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []
