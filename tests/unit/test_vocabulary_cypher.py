"""The vocabulary is the single source: every list of labels or relationship types spelled out in
Cypher (or in the benchmark's raw writer) is checked against the enums in
``core/domain/vocabulary.py``, so adding a node kind or a relationship type fails here until
every place that lists them has it. Above all, a causal type can never silently drop out of the
traversal and cycle queries.

The Cypher stays static text (``LiteralString``): these tests read it, nothing generates it.
"""

from __future__ import annotations

import re

import pytest

from bench import raw as bench_raw
from bench import runs_quick
from provgraph.core.domain.vocabulary import (
    BASE_LABEL,
    CAUSAL_REL_TYPES,
    EDGE_SPECS,
    LABELS,
    REL_TO_KIND,
    STRUCTURAL_REL_TYPES,
    EdgeKind,
    NodeLabel,
    RelType,
    check_disjoint,
)
from provgraph.core.store.catalog import default_catalog
from provgraph.runs.repository import LINK_PARAMS
from provgraph.runs.rules import RUN_EDGE_KINDS, RUN_REL_TYPES, RunNodeKind
from tests.cypher_text import written_label_sets, written_rel_types

# The queries that walk provenance: each must follow every causal type, and nothing else.
TRAVERSALS = ("runs/expand_causes", "runs/expand_effects", "runs/find_cycles")

# "(n:Node:Task {" -> ":Node:Task"; "[r:A|B*1..9]" -> "A|B".
_NODE_PATTERN = re.compile(r"\(\s*\w*\s*((?::\s*\w+)+)")
_REL_PATTERN = re.compile(r"\[\s*\w*\s*:\s*(\w+(?:\s*\|\s*:?\s*\w+)*)")
_COMMENT = re.compile(r"//[^\n]*")


def _body(name: str) -> str:
    """A query's text without its comments (headers name parameters, not types)."""
    return _COMMENT.sub("", default_catalog()[name].text)


def rel_type_lists(text: str) -> list[list[str]]:
    """Every relationship pattern's types, in order: ``[r:A|B]`` -> ``["A", "B"]``."""
    return [
        [t.strip().lstrip(":").strip() for t in match.split("|")]
        for match in _REL_PATTERN.findall(text)
    ]


def node_labels(text: str) -> set[str]:
    return {
        label.strip()
        for match in _NODE_PATTERN.findall(text)
        for label in match.split(":")
        if label.strip()
    }


def _causal() -> set[str]:
    return {t.value for t in CAUSAL_REL_TYPES}


# --- the vocabulary itself ----------------------------------------------------------------


def test_every_relationship_type_is_causal_or_structural() -> None:
    causal, structural = set(CAUSAL_REL_TYPES), set(STRUCTURAL_REL_TYPES)
    assert not causal & structural
    assert causal | structural == set(RelType), (
        "a RelType that is neither causal (an EdgeKind in EDGE_SPECS) nor listed in "
        f"STRUCTURAL_REL_TYPES: {sorted(set(RelType) - causal - structural)}"
    )
    assert len(CAUSAL_REL_TYPES) == len(set(CAUSAL_REL_TYPES)), "two edge kinds share a type"


def test_every_edge_kind_has_its_spec() -> None:
    assert set(EDGE_SPECS) == set(EdgeKind)
    assert set(REL_TO_KIND) == set(CAUSAL_REL_TYPES)
    check_disjoint()


def test_every_run_node_kind_has_a_label() -> None:
    labels = {k.label for k in RunNodeKind}
    assert len(labels) == len(RunNodeKind)
    assert labels <= set(NodeLabel)


# --- traversal and cycle queries ------------------------------------------------------------


@pytest.mark.parametrize("name", TRAVERSALS)
def test_traversals_follow_exactly_the_causal_types(name: str) -> None:
    lists = rel_type_lists(_body(name))
    assert len(lists) == 1, f"{name}: expected one relationship pattern, found {lists}"
    (types,) = lists
    assert len(types) == len(set(types)), f"{name} repeats a type: {types}"
    missing, extra = _causal() - set(types), set(types) - _causal()
    assert not missing, f"{name} does not follow the causal types {sorted(missing)}"
    assert not extra, f"{name} follows types that are not causal: {sorted(extra)}"


def test_every_label_and_relationship_type_in_cypher_is_in_the_vocabulary() -> None:
    catalog = default_catalog()
    known_types = {t.value for t in RelType}
    for name in catalog.names():
        body = _body(name)
        unknown_labels = node_labels(body) - set(LABELS)
        assert not unknown_labels, f"{name} uses labels not in NodeLabel: {unknown_labels}"
        used = {t for types in rel_type_lists(body) for t in types}
        assert used <= known_types, f"{name} uses types not in RelType: {used - known_types}"


# --- start-up registration ----------------------------------------------------------------

_COUNTS = re.compile(r"RETURN\s+(\d+)\s+AS\s+label_sets\s*,\s*(\d+)\s+AS\s+relationship_types")


def test_registration_covers_the_vocabulary_and_its_counts_derive_from_it() -> None:
    body = _body("setup/register_types")
    label_sets, rel_types = written_label_sets(body), written_rel_types(body)
    # Every label is registered, each in exactly one label set (the base label's is shared).
    kinds = [label for s in label_sets for label in s if label != BASE_LABEL]
    assert sorted(kinds) == sorted(label.value for label in NodeLabel)
    assert rel_types == {t.value for t in RelType}
    counts = _COUNTS.search(body)
    assert counts, "register_types must RETURN <n> AS label_sets, <n> AS relationship_types"
    assert int(counts.group(1)) == len(label_sets) == len(NodeLabel)
    assert int(counts.group(2)) == len(rel_types) == len(RelType)


def test_registration_deletes_every_node_it_creates() -> None:
    body = _body("setup/register_types")
    created = set(re.findall(r"\(\s*(\w+)\s*:", body.split("DETACH DELETE")[0]))
    deleted = {v.strip() for v in body.split("DETACH DELETE")[1].split("RETURN")[0].split(",")}
    assert created == deleted


# --- the run writer's per-kind and per-type blocks ---------------------------------------

_NODE_BLOCK = re.compile(
    r"UNWIND\s+\$(?:batch\.)?(\w+)\s+AS\s+row\s+CREATE\s+\(\s*\w+\s*:\s*(\w+)\s*:\s*(\w+)[^)]*\).*?"
    r"RETURN\s+count\(\w+\)\s+AS\s+(\w+)",
    re.DOTALL,
)
_EDGE_BLOCK = re.compile(
    r"UNWIND\s+\$(?:batch\.)?(\w+)\s+AS\s+row(?:(?!UNWIND).)*?CREATE\s+\(\w+\)-\[\w*\s*:\s*(\w+)[^\]]*\]->\(\w+\).*?"
    r"RETURN\s+count\(\w+\)\s+AS\s+(\w+)",
    re.DOTALL,
)
_SUM = r"RETURN\s.*?,\s*([\w\s+]+?)\s+AS\s+nodes_created\s*,\s*([\w\s+]+?)\s+AS\s+edges_created\s*$"
_TOTALS = re.compile(_SUM, re.DOTALL)
WRITE_BATCH = "runs/write_batch"
RUN_PARAMS = {
    "id", "now", "agent_id", "status", "started_at", "ended_at", "metadata", "meta_kv",
    "session_id", "root_digest", "nodes", "edges", "tool_names", "errors", "tokens", "cost",
    "latency",
}  # fmt: skip


def _totals(body: str) -> tuple[set[str], set[str]]:
    """The terms summed AS nodes_created and AS edges_created by the last RETURN."""
    total = _TOTALS.search(body.strip())
    assert total, "the last RETURN must sum the blocks AS nodes_created, edges_created"
    nodes, edges = total.groups()
    return {t.strip() for t in nodes.split("+")}, {t.strip() for t in edges.split("+")}


def test_write_batch_has_one_node_block_per_run_node_kind() -> None:
    body = _body(WRITE_BATCH)
    blocks = _NODE_BLOCK.findall(body)
    expected = {kind.value: kind.label.value for kind in RunNodeKind}
    assert {param: label for param, _base, label, _alias in blocks} == expected
    assert len(blocks) == len(expected), f"{WRITE_BATCH} has a kind twice"
    for param, base, _label, alias in blocks:
        assert base == BASE_LABEL
        assert alias == param, f"{WRITE_BATCH}: the block of ${param} counts AS {alias}"
    assert _totals(body)[0] == set(expected), "nodes_created must add every node block"


def test_write_batch_has_one_edge_block_per_run_relationship_type() -> None:
    body = _body(WRITE_BATCH)
    blocks = _EDGE_BLOCK.findall(body)
    # Every edge kind a run may record can be linked, under the parameter LINK_PARAMS names.
    assert set(LINK_PARAMS) == set(RUN_REL_TYPES) == {k.spec.rel_type for k in RUN_EDGE_KINDS}
    expected = {param: rel.value for rel, param in LINK_PARAMS.items()}
    assert {param: rel for param, rel, _alias in blocks} == expected
    assert len(blocks) == len(expected), f"{WRITE_BATCH} has a type twice"
    for param, _rel, alias in blocks:
        assert alias == param, f"{WRITE_BATCH}: the block of ${param} counts AS {alias}"
    assert _totals(body)[1] == set(expected), "edges_created must add every edge block"


def test_write_batch_takes_one_map() -> None:
    """One map parameter (its type never varies: Neo4j plans per parameter types), read as
    the run's fields and one list per block."""
    assert set(default_catalog()[WRITE_BATCH].params) == {"tenant", "batch"}
    body = _body(WRITE_BATCH)
    blocks = {k.value for k in RunNodeKind} | set(LINK_PARAMS.values())
    assert set(re.findall(r"\$batch\.(\w+)", body)) == {"runs", *blocks}
    assert set(re.findall(r"\brun\.(\w+)", body)) == RUN_PARAMS


# --- the benchmark's raw writer -----------------------------------------------------------


def test_the_raw_bench_writer_writes_every_run_kind_and_type() -> None:
    assert set(bench_raw._CREATE_NODES) == {k.name for k in RunNodeKind}
    for kind in RunNodeKind:
        labels = node_labels(bench_raw._CREATE_NODES[kind.name])
        assert labels == {BASE_LABEL, kind.label.value}, kind
    assert set(bench_raw._CREATE_EDGES) == set(RUN_REL_TYPES)
    for rel, statement in bench_raw._CREATE_EDGES.items():
        assert rel_type_lists(statement) == [[rel.value]], rel
    assert set(runs_quick.CAUSAL_TYPES) == _causal()
