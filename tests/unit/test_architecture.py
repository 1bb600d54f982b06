"""The house rules of ../shared/DESIGN.md, checked on the import graph and the schema.

- ``core/`` imports no area; an area imports another area only where ``areas.py`` says it
  uses it, and never that area's repository or records.
- Nothing above ``repository.py`` names a Cypher query (``query("…")``), and repositories
  name only their own area's (or core's) folder.
- Nothing below ``api/`` imports GraphQL (Strawberry, graphql-core).
- Every mutation declares ``CanWrite``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from provgraph.areas import AREAS, CORE_CYPHER
from provgraph.core.api.permissions import CanWrite
from provgraph.schema import build_schema

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "provgraph"
AREA_NAMES = {a.name for a in AREAS}
USES = {a.name: set(a.uses) for a in AREAS}
CYPHER_FOLDER = {a.name: a.cypher_folder for a in AREAS}
_QUERY_CALL = re.compile(r'\bquery\(\s*"(?P<name>[^"]+)"')


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append((".".join(parts), path))
    return out


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _area_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in AREA_NAMES else None


MODULES = _modules()


def test_the_areas_are_the_folders() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "area.py").exists()} - {"core"}
    assert folders == AREA_NAMES, "every folder with an area.py is listed in areas.py"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_follow_the_house_rules(module: str, path: Path) -> None:
    imported = _imports(path)
    own = _area_of(module)
    problems = []
    for target in sorted(imported):
        if not target.startswith("provgraph."):
            continue
        other = _area_of(target)
        if module.startswith("provgraph.core") and other is not None:
            problems.append(f"core imports the {other} area ({target})")
        if own is not None and other is not None and other != own:
            if other not in USES[own]:
                problems.append(f"{own} imports {other} without declaring it uses it")
            if re.search(r"\.(repository|agent_repository|records)\b", target):
                problems.append(f"{own} imports {other}'s repository or records ({target})")
    layer = module.split(".")
    in_area_below_api = own is not None and "api" not in layer
    in_core_below_api = module.startswith(("provgraph.core.store", "provgraph.core.domain"))
    below_api = in_area_below_api or in_core_below_api
    if below_api and any(t.split(".")[0] in {"strawberry", "graphql"} for t in imported):
        problems.append("knows GraphQL below the api layer")
    assert not problems, problems


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_only_repositories_name_cypher_and_only_their_own(module: str, path: Path) -> None:
    names = [m["name"] for m in _QUERY_CALL.finditer(path.read_text(encoding="utf-8"))]
    if not names:
        return
    own = _area_of(module)
    if own is None:
        assert module.startswith("provgraph.core.store"), f"{module} names Cypher"
        assert all(n.split("/")[0] in CORE_CYPHER for n in names), names
        return
    assert path.name.endswith("repository.py"), f"{module} names Cypher above the repository"
    assert all(n.split("/")[0] == CYPHER_FOLDER[own] for n in names), names


def test_every_mutation_declares_can_write() -> None:
    schema = build_schema()
    mutation = schema.get_type_by_name("Mutation")
    assert mutation is not None
    missing = [
        f.name
        for f in mutation.fields  # type: ignore[union-attr]
        if not any(isinstance(e, CanWrite) for e in f.extensions)
    ]
    assert not missing
