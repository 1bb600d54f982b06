"""The benchmark's synthetic workload: deterministic, well-formed, with fan-in and fan-out."""

from __future__ import annotations

from collections import Counter
from itertools import islice

import pytest

from bench.payloads import batch_variables, naive_variables
from bench.sizes import SIZES, parse_size
from bench.workload import WRun, make_run, runs, runs_for_elements, runs_for_nodes
from provgraph.core.domain.vocabulary import EdgeKind

RUN_NODE_KINDS = {
    "DECISION",
    "TOOL_CALL",
    "TOOL_RESULT",
    "MEMORY_FACT",
    "OBSERVATION",
    "INPUT",
    "OUTPUT",
}
# The kinds each edge kind connects (client orientation: source -kind-> target).
ENDS = {
    EdgeKind.TRIGGERED: ({"DECISION"}, {"TOOL_CALL"}),
    EdgeKind.PRODUCED: ({"TOOL_CALL"}, {"TOOL_RESULT"}),
    EdgeKind.CONSUMED: ({"DECISION"}, {"MEMORY_FACT"}),
    EdgeKind.INFLUENCED: (
        {"INPUT", "OBSERVATION", "TOOL_RESULT", "DECISION"},
        {"DECISION", "OBSERVATION", "MEMORY_FACT", "OUTPUT"},
    ),
}


def test_same_seed_same_runs_other_seed_other_runs() -> None:
    first = list(islice(runs(3), 20))
    again = list(islice(runs(3), 20))
    other = list(islice(runs(4), 20))
    assert first == again
    assert first != other
    # A run depends only on (seed, index), not on what was generated before it.
    assert make_run(3, 17) == first[17]


def test_prefix_changes_ids_only() -> None:
    plain, prefixed = make_run(5, 2), make_run(5, 2, prefix="x-")
    assert prefixed.id == "x-" + plain.id
    assert [n.id for n in prefixed.nodes] == ["x-" + n.id for n in plain.nodes]
    assert [n.text for n in prefixed.nodes] == [n.text for n in plain.nodes]
    assert len(prefixed.edges) == len(plain.edges)


def _check_run(run: WRun) -> None:
    kinds = {n.id: n.kind for n in run.nodes}
    assert len(kinds) == len(run.nodes), "node ids are unique"
    assert run.id not in kinds
    assert set(kinds.values()) <= RUN_NODE_KINDS
    assert {"INPUT", "DECISION", "OUTPUT"} <= set(kinds.values())
    order = {n.id: i for i, n in enumerate(run.nodes)}
    seen = set()
    for e in run.edges:
        assert e.source in kinds and e.target in kinds, "edges stay inside the run"
        sources, targets = ENDS[e.kind]
        assert kinds[e.source] in sources and kinds[e.target] in targets, e
        # The cause is always recorded before the effect: the graph is acyclic.
        cause, effect = (
            (e.target, e.source) if e.kind.spec.source_is_effect else (e.source, e.target)
        )
        assert order[cause] < order[effect], e
        key = (e.kind, e.source, e.target)
        assert key not in seen, "no duplicate edges"
        seen.add(key)
    steps = [n.step for n in run.nodes]
    assert steps == sorted(steps)
    assert run.started_at_ms < run.ended_at_ms
    assert run.elements == 1 + len(run.nodes) + len(run.edges)


def test_runs_are_well_formed_with_fan_in_and_fan_out() -> None:
    sample = list(islice(runs(11), 60))
    for run in sample:
        _check_run(run)
    fan_in = Counter(e.target for r in sample for e in r.edges if e.kind == EdgeKind.INFLUENCED)
    fan_out = Counter(e.source for r in sample for e in r.edges if e.kind == EdgeKind.TRIGGERED)
    assert max(fan_in.values()) >= 4
    assert max(fan_out.values()) >= 3
    kinds = Counter(n.kind for r in sample for n in r.nodes)
    assert set(kinds) == RUN_NODE_KINDS
    assert any(n.tool_status == "error" for r in sample for n in r.nodes)


def test_min_nodes_and_stream_helpers() -> None:
    big = make_run(2, 0, min_nodes=500)
    _check_run(big)
    assert len(big.nodes) >= 500
    by_elements = list(runs_for_elements(2, 5_000))
    total = sum(r.elements for r in by_elements)
    assert total >= 5_000
    assert total - by_elements[-1].elements < 5_000
    by_nodes = list(runs_for_nodes(2, 3_000))
    assert sum(1 + len(r.nodes) for r in by_nodes) >= 3_000


def test_payloads_carry_every_element() -> None:
    run = make_run(9, 1)
    batch = batch_variables(run)["input"]
    assert batch["run"]["id"] == run.id
    assert batch["run"]["startedAt"].endswith("Z")
    assert len(batch["nodes"]) == len(run.nodes)
    assert len(batch["edges"]) == len(run.edges)
    assert {e["kind"] for e in batch["edges"]} <= {k.value.upper() for k in EdgeKind}
    assert all(v is not None for n in batch["nodes"] for v in n.values())
    naive = naive_variables(run)
    assert len(naive) == run.elements
    assert all(
        len(c["input"].get("nodes", [])) + len(c["input"].get("edges", [])) <= 1 for c in naive
    )


def test_sizes() -> None:
    assert parse_size("default") is SIZES["default"]
    assert SIZES["large"].memory_elements == 1_000_000
    scaled = parse_size("50000")
    assert scaled.graph_nodes == 50_000
    assert scaled.ingest_elements == SIZES["default"].ingest_elements // 2
    with pytest.raises(ValueError):
        parse_size("huge")
    with pytest.raises(ValueError):
        parse_size("10")
