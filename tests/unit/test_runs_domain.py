"""Run rules that need no database: validation, cycles, hashes, digests, diff classes."""

from __future__ import annotations

import itertools

import pytest

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.diff import DiffClass, diff_runs
from provgraph.runs.records import NodeRecord, RunRecord
from provgraph.runs.rules import (
    Batch,
    EdgeSpec,
    NodeSpec,
    RunNodeKind,
    RunSpec,
    add_digest,
    causal_paths,
    chained_hash,
    content_hash,
    digest_terms,
    find_cycle,
    topological,
    validate_batch,
)


def edge(i: int, kind: EdgeKind, source: str, target: str) -> EdgeSpec:
    return EdgeSpec(index=i, kind=kind, source=source, target=target)


def test_causal_direction_of_each_run_edge_kind() -> None:
    # observation -influenced-> decision: the observation is the cause
    assert edge(0, EdgeKind.INFLUENCED, "obs", "dec").cause == "obs"
    assert edge(0, EdgeKind.TRIGGERED, "dec", "call").effect == "call"
    assert edge(0, EdgeKind.PRODUCED, "call", "res").effect == "res"
    # decision -consumed-> memory_fact: the fact is one of the decision's causes
    consumed = edge(0, EdgeKind.CONSUMED, "dec", "mem")
    assert (consumed.effect, consumed.cause) == ("dec", "mem")


def test_find_cycle_names_an_edge_on_the_cycle() -> None:
    edges = [
        edge(0, EdgeKind.INFLUENCED, "a", "b"),
        edge(1, EdgeKind.INFLUENCED, "b", "c"),
        edge(2, EdgeKind.INFLUENCED, "x", "a"),
    ]
    assert find_cycle(edges) is None
    closing = [
        *edges,
        edge(3, EdgeKind.CONSUMED, "a", "c"),
    ]  # c caused by b caused by a; a consumed c
    found = find_cycle(closing)
    assert found is not None and found.index in {0, 1, 3}


def test_topological_puts_causes_first() -> None:
    order = topological(["c", "b", "a"], {"c": ["b"], "b": ["a"], "a": []})
    assert order == ["a", "b", "c"]


def test_validate_batch_dedupes_identical_edges_and_refuses_bad_items() -> None:
    run = RunSpec(id="r")
    nodes = [NodeSpec(index=0, id="a", kind=RunNodeKind.INPUT, step=0)]
    same = [edge(0, EdgeKind.INFLUENCED, "a", "b"), edge(1, EdgeKind.INFLUENCED, "a", "b")]
    assert len(validate_batch(Batch(run, nodes, same))) == 1
    with pytest.raises(BadUserInput) as bad:
        validate_batch(Batch(run, [NodeSpec(index=0, id="a", kind=RunNodeKind.INPUT, step=-1)]))
    assert bad.value.extensions == {"item": "node", "index": 0, "id": "a"}
    with pytest.raises(BadUserInput, match="not a run edge kind"):
        validate_batch(Batch(run, nodes, [edge(0, EdgeKind.BLOCKED_BY, "a", "b")]))
    with pytest.raises(BadUserInput, match="run's own id"):
        validate_batch(Batch(run, [NodeSpec(index=0, id="r", kind=RunNodeKind.INPUT, step=0)]))
    with pytest.raises(BadUserInput, match="finite"):
        validate_batch(
            Batch(run, [NodeSpec(index=0, id="a", kind=RunNodeKind.INPUT, step=0, cost=-1.0)])
        )


def test_hashes_cover_content_and_causes_in_any_order() -> None:
    node = NodeSpec(index=0, id="a", kind=RunNodeKind.DECISION, step=1, text="go")
    own = content_hash(node.content("r"))
    assert own == content_hash(node.content("r"))
    assert own != content_hash(
        NodeSpec(index=0, id="a", kind=RunNodeKind.DECISION, step=2, text="go").content("r")
    )
    assert own != content_hash(node.content("other-run"))
    assert chained_hash(own, ["x", "y"]) == chained_hash(own, ["y", "x"])
    assert chained_hash(own, ["x"]) != chained_hash(own, ["x", "y"])


def test_root_digest_is_order_free_and_incremental() -> None:
    nodes, edges = ["h1", "h2", "h3"], [("a", "T", "b"), ("b", "T", "c")]
    whole = add_digest(None, digest_terms(nodes, edges))
    first = add_digest(None, digest_terms(nodes[:1], edges[1:]))
    assert add_digest(first, digest_terms(nodes[1:], edges[:1])) == whole
    assert add_digest(None, digest_terms(reversed(nodes), reversed(edges))) == whole
    assert add_digest(None, digest_terms(nodes[:2], edges)) != whole


def _node(run: str, nid: str, kind: str, step: int, text: str) -> NodeRecord:
    return NodeRecord(id=f"{run}:{nid}", kind=kind, run_id=run, step=step, text=text, created_at=1)


def test_diff_classes_by_kind_and_step() -> None:
    a = [
        _node("a", "d", "decision", 0, "x"),
        _node("a", "m", "memory_fact", 1, "fact"),
        _node("a", "o", "output", 2, "done"),
    ]
    b = [
        _node("b", "d", "decision", 0, "x"),
        _node("b", "m", "memory_fact", 1, "other fact"),
        _node("b", "i", "input", 3, "more"),
    ]
    diff = diff_runs(RunRecord(id="a"), RunRecord(id="b"), a, b)
    assert [(d.cls, d.step, d.node_id, d.other_node_id) for d in diff.differences] == [
        (DiffClass.DIFFERENT_MEMORY, 1, "a:m", "b:m"),
        (DiffClass.MISSING_STEP, 2, "a:o", None),
        (DiffClass.EXTRA_STEP, 3, None, "b:i"),
    ]
    assert diff.first_divergent_step == 1 and not diff.identical
    # Ids, runs and times do not count: only what the nodes say.
    assert diff_runs(RunRecord(id="a"), RunRecord(id="b"), a[:1], b[:1]).identical


def _into(edges: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Stored edges u -> v as the breadth-first search reports them: by v, (type, u)."""
    into: dict[str, list[tuple[str, str]]] = {}
    for u, v in edges:
        into.setdefault(v, []).append(("T", u))
    return into


def _all_paths(edges: list[tuple[str, str]], a: str, b: str, depth: int) -> list[list[str]]:
    """Every path a -> b of at most depth edges, by brute force."""
    found: list[list[str]] = []

    def go(path: list[str]) -> None:
        if path[-1] == b:
            found.append(path)
            return
        if len(path) > depth:
            return
        for u, v in edges:
            if u == path[-1]:
                go([*path, v])

    go([a])
    return found


def test_causal_paths_are_every_short_enough_path_and_only_those() -> None:
    # A diamond stack e -> {x1, x2} -> m -> {y1, y2} -> c, plus a long detour e -> d1..d4 -> c.
    edges = [("e", "x1"), ("e", "x2"), ("x1", "m"), ("x2", "m"), ("m", "y1"), ("m", "y2")]
    edges += [("y1", "c"), ("y2", "c"), ("e", "d1"), ("d1", "d2"), ("d2", "d3"), ("d3", "d4")]
    edges += [("d4", "c"), ("x1", "z"), ("z", "zz")]  # a dead end off the diamond
    for depth in range(1, 7):
        got = causal_paths(_into(edges), "e", "c", depth, limit=100)
        assert sorted(ids for ids, _ in got) == sorted(_all_paths(edges, "e", "c", depth))
        assert all(rels == ["T"] * (len(ids) - 1) for ids, rels in got)
    assert len(causal_paths(_into(edges), "e", "c", 4, limit=100)) == 4
    assert len(causal_paths(_into(edges), "e", "c", 5, limit=100)) == 5
    assert causal_paths(_into(edges), "e", "c", 3, limit=100) == []
    assert len(causal_paths(_into(edges), "e", "c", 5, limit=2)) == 2


def test_causal_paths_walk_no_dead_ends_in_a_dense_graph() -> None:
    # 12 layers of 6, every node linked to every node of the next: 6^10 paths between the
    # first and last layer, and none of 10 edges or fewer. Answered without trying them.
    layers = [[f"n{i}-{j}" for j in range(6)] for i in range(12)]
    edges = [(u, v) for a, b in itertools.pairwise(layers) for u in a for v in b]
    assert causal_paths(_into(edges), "n0-0", "n11-0", 10, limit=101) == []
    got = causal_paths(_into(edges), "n0-0", "n11-0", 11, limit=101)
    assert len(got) == 101 and all(len(ids) == 12 for ids, _ in got)
