"""The named Cypher catalog: one query per ``.cypher`` file, loaded by name.

Files live in ``cypher/`` at the repository root and ship inside the wheel as ``provgraph/cypher``.
Every file begins with a header comment::

    // <one line saying what it answers>
    // params: $tenant: string, $id: string
    // returns: id, kind

The text is trusted (it ships with the code), which is why it may be typed ``LiteralString``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, LiteralString, cast

_PARAMS = re.compile(r"^//\s*params:\s*(?P<body>.*)$", re.MULTILINE)
_RETURNS = re.compile(r"^//\s*returns:\s*(?P<body>.*)$", re.MULTILINE)
_PARAM = re.compile(r"\$(?P<name>\w+)\s*:\s*(?P<type>[\w<>\[\]]+)")
_USED_PARAM = re.compile(r"\$(\w+)")


class CatalogError(RuntimeError):
    """A query is missing or a file's header does not match its text."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: LiteralString
    params: Mapping[str, str]
    returns: tuple[str, ...]
    path: Path


def cypher_root() -> Path:
    """``provgraph/cypher`` in an installed wheel, else ``cypher/`` of the source tree."""
    package = Path(__file__).resolve().parents[2]  # provgraph/
    for candidate in (package / "cypher", package.parents[1] / "cypher"):
        if candidate.is_dir():
            return candidate
    raise CatalogError(f"no cypher/ directory beside {package}")


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def parse_file(root: Path, path: Path) -> NamedQuery:
    name = path.relative_to(root).with_suffix("").as_posix()
    raw = path.read_text(encoding="utf-8")
    params_match = _PARAMS.search(raw)
    returns_match = _RETURNS.search(raw)
    if params_match is None or returns_match is None:
        raise CatalogError(f"{name}: header must have '// params:' and '// returns:' lines")
    params = {m["name"]: m["type"] for m in _PARAM.finditer(params_match["body"])}
    returns = tuple(c.strip() for c in returns_match["body"].split(",") if c.strip() != "-")
    body = _strip_comments(raw).strip()
    if not body:
        raise CatalogError(f"{name}: no query text")
    used = set(_USED_PARAM.findall(body))
    if used != set(params):
        raise CatalogError(
            f"{name}: header params {sorted(params)} differ from those used {sorted(used)}"
        )
    # mypy reads LiteralString as str; the cast is for checkers that tell them apart.
    text = cast(LiteralString, body)  # type: ignore[redundant-cast]
    return NamedQuery(name, text, params, returns, path)


def sample_value(type_name: str) -> Any:
    """A value of a header's parameter type (``string``, ``int``, ``list<string>``, ...), for
    tools that lint or plan a query without running it (CI's Cypher lint, plan tests)."""
    t = type_name.lower()
    if t.startswith("list<") or t.endswith("[]"):
        inner = t[5:-1] if t.startswith("list<") else t[:-2]
        return [sample_value(inner)]
    return {
        "string": "x",
        "str": "x",
        "int": 1,
        "integer": 1,
        "float": 1.5,
        "bool": True,
        "boolean": True,
        "map": {"k": "v"},
    }.get(t, "x")


class Catalog:
    def __init__(self, queries: Iterable[NamedQuery]) -> None:
        self._queries = {q.name: q for q in queries}

    @classmethod
    def load(cls, root: Path | None = None) -> Catalog:
        root = root or cypher_root()
        return cls(parse_file(root, p) for p in sorted(root.rglob("*.cypher")))

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise CatalogError(f"no query named {name!r} in the Cypher catalog") from None

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def names(self) -> list[str]:
        return sorted(self._queries)

    def under(self, prefix: str) -> list[NamedQuery]:
        return [q for n, q in sorted(self._queries.items()) if n.startswith(prefix + "/")]

    def require(self, names: Iterable[str], folders: Iterable[str] | None = None) -> None:
        """Fail at start-up, not at first use, when code names a query that does not exist
        or, with ``folders`` (the areas' and core's), one outside every known folder."""
        wanted = set(names)
        missing = sorted(wanted - set(self._queries))
        if missing:
            raise CatalogError(f"Cypher catalog lacks queries: {', '.join(missing)}")
        if folders is not None:
            known = set(folders)
            stray = sorted(n for n in wanted if n.split("/", 1)[0] not in known)
            if stray:
                raise CatalogError(f"queries outside every area's folder: {', '.join(stray)}")


@cache
def default_catalog() -> Catalog:
    return Catalog.load()
