"""`provgraph import` groups consecutive recordRun inputs into recordRuns requests within the
limits: elements, half the body limit, 1,000 batches, and one batch's nodes and edges."""

from __future__ import annotations

import json
from typing import Any

from provgraph.cli import transfer
from provgraph.cli.transfer import (
    DEFAULT_BATCH_ELEMENTS,
    DEFAULT_MAX_BODY,
    GROUP_OVERHEAD,
    grouped,
    split,
)
from provgraph.config import Settings
from provgraph.runs import rules


def _run(i: int, nodes: int = 2, text: str = "") -> dict[str, Any]:
    ns = [
        {"id": f"r{i:03d}:n{k}", "kind": "DECISION", "step": k, "text": text} for k in range(nodes)
    ]
    edges = [
        {"kind": "TRIGGERED", "source": f"r{i:03d}:n{k}", "target": f"r{i:03d}:n{k + 1}"}
        for k in range(nodes - 1)
    ]
    return {"run": {"id": f"r{i:03d}"}, "nodes": ns, "edges": edges}


def _sizes(groups: list[list[tuple[int, dict[str, Any]]]]) -> list[int]:
    return [len(g) for g in groups]


def test_the_cli_limits_are_the_servers() -> None:
    assert transfer.MAX_NODES_PER_BATCH == rules.MAX_NODES_PER_BATCH
    assert transfer.MAX_EDGES_PER_BATCH == rules.MAX_EDGES_PER_BATCH
    assert transfer.MAX_BATCHES_PER_REQUEST == rules.MAX_BATCHES_PER_REQUEST
    assert Settings.model_fields["max_body_bytes"].default == DEFAULT_MAX_BODY
    # The default group, whatever its mix, stays within one batch's nodes and edges.
    assert min(rules.MAX_NODES_PER_BATCH, rules.MAX_EDGES_PER_BATCH) >= DEFAULT_BATCH_ELEMENTS


def test_consecutive_runs_go_together_in_order_up_to_the_elements() -> None:
    runs = [(i, _run(i)) for i in range(10)]  # 4 elements each: run, 2 nodes, 1 edge
    groups = list(grouped(runs, 12, DEFAULT_MAX_BODY))
    assert _sizes(groups) == [3, 3, 3, 1]
    assert [tag for g in groups for tag, _ in g] == list(range(10))
    assert all(sum(transfer.elements(b) for _, b in g) <= 12 for g in groups)
    assert _sizes(list(grouped(runs, 40, DEFAULT_MAX_BODY))) == [10]
    assert list(grouped([], 40, DEFAULT_MAX_BODY)) == []


def test_a_group_stays_under_half_the_body_limit() -> None:
    runs = [(i, _run(i, text="x" * 1_000)) for i in range(20)]
    one = len(json.dumps(runs[0][1])) + 1
    max_body = 2 * (GROUP_OVERHEAD + 5 * one)  # room for exactly five
    groups = list(grouped(runs, 10_000, max_body))
    assert _sizes(groups) == [5, 5, 5, 5]
    for g in groups:
        body = json.dumps({"query": "x" * 200, "variables": {"input": [b for _, b in g]}})
        assert len(body) <= max_body // 2
    assert _sizes(list(grouped(runs, 10_000, max_body - 2))) == [4] * 5


def test_at_most_1000_batches_a_request() -> None:
    runs = [(i, {"run": {"id": f"r{i}"}}) for i in range(2_500)]
    assert _sizes(list(grouped(runs, 100_000, DEFAULT_MAX_BODY))) == [1_000, 1_000, 500]


def test_nodes_and_edges_together_within_one_batch() -> None:
    wide = {"run": {"id": "w"}, "nodes": [{"id": "n"}] * 15_000, "edges": []}
    edgy = {"run": {"id": "e"}, "nodes": [], "edges": [{"kind": "USED"}] * 30_000}
    groups = list(grouped([(1, wide), (2, wide), (3, edgy), (4, edgy)], 10**6, 10**9))
    assert [[t for t, _ in g] for g in groups] == [[1], [2, 3], [4]]


def test_a_piece_over_a_limit_goes_alone() -> None:
    big = _run(0, nodes=50)
    groups = list(grouped([(0, _run(1)), (1, big), (2, _run(2))], 10, DEFAULT_MAX_BODY))
    assert _sizes(groups) == [1, 1, 1]


def test_split_pieces_fit_the_elements_with_their_run() -> None:
    pieces = list(split(_run(0, nodes=50), 10, DEFAULT_MAX_BODY))
    assert all(transfer.elements(p) <= 10 for p in pieces)
    assert sum(len(p["nodes"]) for p in pieces) == 50
    assert sum(len(p["edges"]) for p in pieces) == 49


def test_a_run_alone_is_never_dropped() -> None:
    # Too large for the body but nothing to cut: sent as it is, for the server to judge.
    alone = {"run": {"id": "r", "metadata": "x" * 2_000}, "nodes": [], "edges": []}
    assert list(split(alone, 10, 1_024)) == [alone]
