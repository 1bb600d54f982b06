from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from provgraph.core.store.catalog import Catalog, CatalogError, default_catalog, parse_file
from provgraph.core.store.registry import declared
from provgraph.schema import build_schema
from tests.cypher_text import written_label_sets, written_rel_types


def test_every_file_parses_with_a_header() -> None:
    catalog = default_catalog()
    assert "system/ping" in catalog
    for name in catalog.names():
        q = catalog[name]
        assert q.path.read_text().startswith("//"), f"{name} has no header comment"


def test_every_declared_query_exists() -> None:
    build_schema()  # imports every area, so every repository declares its queries
    assert declared(), "no query declared"
    default_catalog().require(declared())


def test_unknown_name_fails_loudly() -> None:
    with pytest.raises(CatalogError, match="lacks queries: nope/nothing"):
        default_catalog().require(["nope/nothing"])
    with pytest.raises(CatalogError, match="no query named"):
        default_catalog()["nope/nothing"]


def test_header_params_must_match_text(tmp_path: Path) -> None:
    (tmp_path / "bad.cypher").write_text(
        "// a query\n// params: $a: string\n// returns: x\nRETURN $a + $b AS x\n"
    )
    with pytest.raises(CatalogError, match="differ from those used"):
        parse_file(tmp_path, tmp_path / "bad.cypher")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "q.cypher").write_text("RETURN 1 AS x\n")
    with pytest.raises(CatalogError, match="header must have"):
        Catalog.load(bare)


@pytest.mark.slow
def test_cypher_ships_inside_the_wheel(tmp_path: Path, repo_root: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(repo_root)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("provgraph-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    expected = {
        f"provgraph/cypher/{p.relative_to(repo_root / 'cypher').as_posix()}"
        for p in (repo_root / "cypher").rglob("*.cypher")
    }
    assert expected <= names
    probe = (
        "from provgraph.core.store.catalog import cypher_root, default_catalog;"
        "print(cypher_root()); print(len(default_catalog().names()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out[0] == str(tmp_path / "site" / "provgraph" / "cypher")
    assert int(out[1]) == len(expected)


def test_every_label_set_and_relationship_type_written_is_registered_at_start_up() -> None:
    """ArcadeDB fails concurrent first uses of a type; start-up registers every one."""
    catalog = default_catalog()
    register = catalog["setup/register_types"].text
    label_sets, rel_types = written_label_sets(register), written_rel_types(register)
    assert frozenset({"Node", "Task"}) in label_sets
    assert "BLOCKED_BY" in rel_types
    for name in catalog.names():
        if name.startswith(("schema/", "setup/")):
            continue
        text = catalog[name].text
        missing = written_label_sets(text) - label_sets
        assert not missing, f"{name} writes label sets not registered at start-up: {missing}"
        missing_types = written_rel_types(text) - rel_types
        assert not missing_types, f"{name} writes types not registered: {missing_types}"


def _lines_without_their_hint(catalog: Catalog, hint: Callable[[str], str | None]) -> list[str]:
    """The catalog's lines for which ``hint`` names a hint that is not the next line."""
    missing = []
    for name in catalog.names():
        lines = catalog[name].text.splitlines()
        for i, line in enumerate(lines):
            wanted = hint(line)
            if wanted is not None and (i + 1 >= len(lines) or lines[i + 1].strip() != wanted):
                missing.append(f"{name}: {line.strip()}")
    return missing


# "MATCH (h:Node:AuditHead {tenant: $tenant, id: ..." -> "h"; the line after it must be the hint.
_ID_LOOKUP = re.compile(
    r"^\s*(?:OPTIONAL )?MATCH .*?\((\w+):Node[:A-Za-z]*\s*\{tenant: \$tenant, id:"
)


def test_every_lookup_by_tenant_and_id_seeks_the_unique_index() -> None:
    """Neo4j planned such lookups as scans of the whole index on statistics older than a bulk
    load (tests/integration/test_runs_store.py::
    test_queries_seek_node_ids_on_statistics_older_than_a_bulk_load): each MATCH that finds a
    node by (tenant, id) is followed by ``USING INDEX SEEK`` on that node."""

    def hint(line: str) -> str | None:
        found = _ID_LOOKUP.match(line)
        return None if found is None else f"USING INDEX SEEK {found[1]}:Node(tenant, id)"

    assert _lines_without_their_hint(default_catalog(), hint) == []


# A node pattern with two or more labels, e.g. ``(r:Node:Run {...})``.
_TWO_LABELS = re.compile(r"\(\w*:\w+:\w+")
# A node found by (tenant, id) under a label other than :Node, e.g. ``(r:Run {tenant: …, id:``.
_ID_UNDER_OTHER_LABEL = re.compile(r"\(\w*:(?!Node\b)\w+\s*\{tenant: \$tenant, id:")


def test_read_patterns_name_one_label_and_lookups_name_node() -> None:
    """Engine difference (ArcadeDB 26.10): a pattern with two labels (``(r:Node:Run {tenant,
    id})``) is planned without ArcadeDB's optimizer, as a scan of every node with that label set
    (16-24 ms per lookup beside another tenant's 100,000 runs, 0.7 ms as ``(r:Node {tenant, id})
    WHERE r:Run``). So only CREATE and MERGE (which need the labels to write them) name two
    labels. And a lookup by (tenant, id) names :Node alone: under :Run, ArcadeDB seeks the
    tenant's runs through ``run_tenant`` and filters them by id (tests/integration/
    test_runs_store.py::test_tenant_lists_and_lookups_read_one_tenant)."""
    catalog = default_catalog()
    found = []
    for name in catalog.names():
        if name.startswith("setup/"):
            continue  # creates one node of every label set, once, at start-up
        for line in catalog[name].text.splitlines():
            if "CREATE" in line or "MERGE" in line:
                continue
            if _TWO_LABELS.search(line) or _ID_UNDER_OTHER_LABEL.search(line):
                found.append(f"{name}: {line.strip()}")
    assert found == []


# "MATCH (r:Run {tenant: $tenant})" -> ("r", "Run"): a list that starts at one tenant's nodes.
_TENANT_START = re.compile(r"^\s*MATCH \((\w+):(\w+) \{tenant: \$tenant\}\)")


def _tenant_indexed(catalog: Catalog, *, leading: bool = False) -> set[str]:
    """The labels with a schema index on (tenant) alone, or (``leading``) on tenant first."""
    on = r"ON \(n\.tenant[,)]" if leading else r"ON \(n\.tenant\)"
    return {
        m[1]
        for name in catalog.names()
        if name.startswith("schema/")
        for m in re.finditer(r"FOR \(n:(\w+)\) " + on, catalog[name].text)
    }


def test_labels_listed_per_tenant_have_a_tenant_index() -> None:
    """A list of one tenant's runs, tasks, agents, activities or audit events starts at
    ``MATCH (x:Label {tenant: $tenant})`` (no node of the clause found by id); without an index
    that starts with that label's tenant, both engines read every tenant's nodes of the label.
    (Neo4j seeks no composite (tenant, created_at) index on the tenant alone: the runs, tasks,
    agents and activities have a (tenant) index of their own.)"""
    catalog = default_catalog()
    indexed = _tenant_indexed(catalog, leading=True)
    starts = {
        m[2]
        for name in catalog.names()
        for line in catalog[name].text.splitlines()
        if "id: " not in line
        if (m := _TENANT_START.match(line))
    }
    assert starts - {"Node"} <= indexed, starts - indexed
    assert "AuditEvent" in starts
    assert {"Run", "Task", "Agent", "Activity"} <= _tenant_indexed(catalog)


def test_every_tenant_list_seeks_its_index() -> None:
    """A plain ``USING INDEX`` was met by a scan of the whole index on Neo4j (``list_sessions``
    in the full suite: ``NodeIndexScan run_tenant WHERE tenant IS NOT NULL``), as for lookups by
    (tenant, id): each list that starts at one tenant's nodes of an indexed label seeks that
    index by hint; over :Node it seeks the (tenant, id) one."""
    catalog = default_catalog()
    indexed = _tenant_indexed(catalog)

    def hint(line: str) -> str | None:
        found = _TENANT_START.match(line)
        if found is None or "id: " in line:
            return None
        var, label = found[1], found[2]
        if label == "Node":
            return f"USING INDEX SEEK {var}:Node(tenant, id)"
        return f"USING INDEX SEEK {var}:{label}(tenant)" if label in indexed else None

    assert _lines_without_their_hint(catalog, hint) == []


def test_nodes_reached_over_an_edge_name_no_indexed_tenant() -> None:
    """``(t)-[:BLOCKED_BY]->(b:Task {tenant: $tenant})`` lets Neo4j seek ``task_tenant`` for b
    and join, instead of following t's edges: on statistics sampled before a bulk load it read
    every tenant's tasks for each ready task (``readyTasks`` 12 → 211 ms beside another
    tenant's 20,000 tasks). An edge never joins two tenants (both ends of every edge provgraph
    writes are found in one tenant), so a node reached over one names its label alone."""
    catalog = default_catalog()
    indexed = _tenant_indexed(catalog)
    reached = re.compile(r"[->]\(\w*:(\w+) \{tenant: \$tenant\}\)")
    found = [
        f"{name}: {line.strip()}"
        for name in catalog.names()
        for line in catalog[name].text.splitlines()
        for m in reached.finditer(line)
        if m[1] in indexed
    ]
    assert found == []
