"""The synthetic agent-run workload: seeded, deterministic, with realistic fan-in and fan-out.

A run starts from one or two inputs. Each step has one decision, influenced by the previous
decision, the step's observations and the previous step's tool results (fan-in), consuming
memory facts recorded earlier in the run (fan-in); it triggers zero to three tool calls
(fan-out), each producing one result; some results are remembered as memory facts. The last
decision influences the run's outputs. Every edge points from an earlier step to a later one, so
the graph is acyclic.

Edges are in the client's orientation (``source -kind-> target``, ``EdgeKind`` values), exactly
as a client sends them to ``recordRun``. Run ``i`` depends only on ``(seed, i)``, so any slice
of a workload can be produced lazily (a 1M-element stream never sits in memory).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from provgraph.core.domain.vocabulary import EdgeKind

# 2026-01-01T00:00:00Z: fixed so that timestamps (and so content) are reproducible.
EPOCH_MS = 1_767_225_600_000
AGENTS = ("agent-planner", "agent-coder", "agent-reviewer", "agent-researcher")
TOOLS = ("web_search", "read_file", "write_file", "run_tests", "sql_query", "http_get")
_CORPUS = (
    "the user asked for a summary of quarterly revenue by region and a chart comparing "
    "growth against last year while excluding refunds and internal transfers from totals "
    "check cache before calling the api retry on timeout report partial results when a "
    "source is unavailable and cite every figure with its origin document"
)
WORDS = tuple(_CORPUS.split())


@dataclass(frozen=True)
class WNode:
    id: str
    kind: str  # RunNodeKind name: DECISION, TOOL_CALL, ...
    step: int
    created_at_ms: int
    text: str | None = None
    json: str | None = None
    tokens: int | None = None
    cost: float | None = None
    latency_ms: int | None = None
    tool_name: str | None = None
    arguments: str | None = None
    tool_status: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class WEdge:
    kind: EdgeKind
    source: str
    target: str


@dataclass(frozen=True)
class WRun:
    id: str
    agent_id: str
    started_at_ms: int
    ended_at_ms: int
    metadata: str
    nodes: tuple[WNode, ...] = field(default_factory=tuple)
    edges: tuple[WEdge, ...] = field(default_factory=tuple)

    @property
    def elements(self) -> int:
        """What a client writes: the run node, its nodes and its edges."""
        return 1 + len(self.nodes) + len(self.edges)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


class _RunBuilder:
    def __init__(self, run_id: str, rng: random.Random, start_ms: int) -> None:
        self.run_id = run_id
        self.rng = rng
        self.clock = start_ms
        self.nodes: list[WNode] = []
        self.edges: list[WEdge] = []

    def node(self, kind: str, step: int, **props: object) -> str:
        node_id = f"{self.run_id}-n{len(self.nodes):04d}"
        self.clock += self.rng.randint(5, 900)
        self.nodes.append(WNode(node_id, kind, step, self.clock, **props))  # type: ignore[arg-type]
        return node_id

    def edge(self, kind: EdgeKind, source: str, target: str) -> None:
        self.edges.append(WEdge(kind, source, target))


def make_run(seed: int, index: int, prefix: str = "", *, min_nodes: int = 0) -> WRun:
    """Run ``index`` of the workload ``seed``; the same arguments always give the same run.

    ``min_nodes`` adds steps until the run holds at least that many nodes.
    """
    rng = random.Random(f"provgraph-bench:{seed}:{index}")
    run_id = f"{prefix}run-{index:07d}"
    start = EPOCH_MS + index * 60_000
    b = _RunBuilder(run_id, rng, start)

    inputs = [b.node("INPUT", 0, text=_sentence(rng, 12, 40)) for _ in range(rng.randint(1, 2))]
    previous_decision: str | None = None
    previous_results: list[str] = []
    memory: list[str] = []
    steps = rng.randint(6, 18)
    step = 0
    while step < steps or len(b.nodes) < min_nodes:
        step += 1
        observations = [
            b.node("OBSERVATION", step, text=_sentence(rng, 6, 24))
            for _ in range(rng.choices((0, 1, 2), weights=(4, 4, 2))[0])
        ]
        for result in previous_results:
            if observations and rng.random() < 0.3:
                b.edge(EdgeKind.INFLUENCED, result, rng.choice(observations))
        decision = b.node(
            "DECISION",
            step,
            text=_sentence(rng, 10, 50),
            tokens=rng.randint(200, 4000),
            cost=round(rng.uniform(0.0005, 0.03), 5),
            latency_ms=rng.randint(300, 9000),
        )
        # Fan-in: what the decision was made from.
        for cause in (*inputs[: 2 if step == 1 else 0], *observations, *previous_results):
            b.edge(EdgeKind.INFLUENCED, cause, decision)
        if previous_decision is not None:
            b.edge(EdgeKind.INFLUENCED, previous_decision, decision)
        if memory:
            for fact in rng.sample(memory, k=min(len(memory), rng.randint(0, 3))):
                b.edge(EdgeKind.CONSUMED, decision, fact)
        # Fan-out: the tools the decision called.
        results: list[str] = []
        for _ in range(rng.choices((0, 1, 2, 3), weights=(2, 4, 3, 1))[0]):
            tool = rng.choice(TOOLS)
            call = b.node(
                "TOOL_CALL",
                step,
                tool_name=tool,
                arguments=json.dumps({"q": _sentence(rng, 2, 6), "limit": rng.randint(1, 50)}),
                latency_ms=rng.randint(20, 4000),
            )
            failed = rng.random() < 0.08
            result = b.node(
                "TOOL_RESULT",
                step,
                tool_name=tool,
                tool_status="error" if failed else "ok",
                error="timeout after 30s" if failed else None,
                json=None if failed else json.dumps({"rows": rng.randint(0, 500)}),
                text=None if failed else _sentence(rng, 8, 40),
            )
            b.edge(EdgeKind.TRIGGERED, decision, call)
            b.edge(EdgeKind.PRODUCED, call, result)
            results.append(result)
            if not failed and rng.random() < 0.25:
                fact = b.node("MEMORY_FACT", step, text=_sentence(rng, 6, 20))
                b.edge(EdgeKind.INFLUENCED, result, fact)
                memory.append(fact)
        previous_decision = decision
        previous_results = results

    assert previous_decision is not None
    for _ in range(rng.randint(1, 2)):
        output = b.node("OUTPUT", step + 1, text=_sentence(rng, 20, 60))
        b.edge(EdgeKind.INFLUENCED, previous_decision, output)
        for result in previous_results:
            b.edge(EdgeKind.INFLUENCED, result, output)

    metadata = json.dumps({"model": rng.choice(("gpt-x", "claude-y", "local-z")), "seed": seed})
    return WRun(
        id=run_id,
        agent_id=AGENTS[index % len(AGENTS)],
        started_at_ms=start,
        ended_at_ms=b.clock + 1,
        metadata=metadata,
        nodes=tuple(b.nodes),
        edges=tuple(b.edges),
    )


def runs(seed: int, *, start: int = 0, prefix: str = "") -> Iterator[WRun]:
    """Runs ``start, start+1, ...`` without end."""
    index = start
    while True:
        yield make_run(seed, index, prefix)
        index += 1


def runs_for_elements(seed: int, elements: int, *, prefix: str = "") -> Iterator[WRun]:
    """Runs until at least ``elements`` elements (run nodes, nodes and edges) are produced."""
    total = 0
    for run in runs(seed, prefix=prefix):
        if total >= elements:
            return
        total += run.elements
        yield run


def runs_for_nodes(seed: int, nodes: int, *, prefix: str = "") -> Iterator[WRun]:
    """Runs until at least ``nodes`` graph nodes (run nodes included) are produced."""
    total = 0
    for run in runs(seed, prefix=prefix):
        if total >= nodes:
            return
        total += 1 + len(run.nodes)
        yield run
