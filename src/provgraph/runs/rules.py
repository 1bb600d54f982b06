"""Agent runs as data: node kinds, the edges a run may hold, batch validation, content hashes.

Everything here runs without a database: the service validates a whole batch in Python before
the engine sees it, and the hash rules live here so ingest and ``verifyRun`` share them.

Hash rule (tamper evidence):
- ``content_hash`` = sha256 of the RFC 8785 canonical JSON of the node's own content (id, kind,
  run, step, text, json, stated time, tokens, cost, latency, tool fields). Idempotent re-sends
  compare it.
- ``hash`` = sha256 of ``content_hash`` plus the sorted ``hash`` values of the node's *sealed*
  causes: the causes linked by edges recorded in the same batch as the node (the effect is new).
  So a change anywhere below shows up in every node above it that was derived from it.
- Nodes are append-only. An edge recorded later into an *existing* effect (a cause attached
  after the fact) is accepted but unsealed: it cannot change a hash that was already issued.
  It is covered by the run's root digest instead, as are all nodes and edges of the run.
- A run's ``root_digest`` is an order-free multiset hash: the sum mod 2^256 of sha256 over each
  node hash and each edge triple of the run. Appending adds terms; ``verifyRun`` recomputes it.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from provgraph.core.domain.canonical import canonical_json, sha256_hex
from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.ids import validate_id
from provgraph.core.domain.vocabulary import EdgeKind, NodeLabel, RelType


class RunNodeKind(StrEnum):
    DECISION = "decision"
    TOOL_CALL = "tool_call"
    TOOL_RESULT = "tool_result"
    MEMORY_FACT = "memory_fact"
    OBSERVATION = "observation"
    INPUT = "input"
    OUTPUT = "output"

    @property
    def label(self) -> NodeLabel:
        return _KIND_LABELS[self]


_KIND_LABELS: dict[RunNodeKind, NodeLabel] = {
    RunNodeKind.DECISION: NodeLabel.DECISION,
    RunNodeKind.TOOL_CALL: NodeLabel.TOOL_CALL,
    RunNodeKind.TOOL_RESULT: NodeLabel.TOOL_RESULT,
    RunNodeKind.MEMORY_FACT: NodeLabel.MEMORY_FACT,
    RunNodeKind.OBSERVATION: NodeLabel.OBSERVATION,
    RunNodeKind.INPUT: NodeLabel.INPUT,
    RunNodeKind.OUTPUT: NodeLabel.OUTPUT,
}


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Edge kinds a run may record (others belong to tasks and agents).
RUN_EDGE_KINDS: frozenset[EdgeKind] = frozenset(
    {
        EdgeKind.INFLUENCED,
        EdgeKind.TRIGGERED,
        EdgeKind.PRODUCED,
        EdgeKind.CONSUMED,
        EdgeKind.SUPERSEDES,
        EdgeKind.DERIVED_FROM,
    }
)
RUN_REL_TYPES: tuple[RelType, ...] = tuple(
    sorted((k.spec.rel_type for k in RUN_EDGE_KINDS), key=lambda r: r.value)
)

# Limits of one batch (the HTTP body limit bounds it too).
MAX_NODES_PER_BATCH = 20_000
MAX_EDGES_PER_BATCH = 50_000
# recordRuns: batches per request (their nodes and edges together within the limits above).
MAX_BATCHES_PER_REQUEST = 1_000
MAX_TEXT_CHARS = 100_000  # text, json, arguments, error, metadata: each
MAX_SHORT_CHARS = 512  # tool name, tool status
MAX_STEP = 1_000_000
_TEXT_FIELDS = ("text", "json", "arguments", "error")
_JSON_FIELDS = ("json", "arguments")

# The content fields a node hash covers, in canonical order.
HASHED_FIELDS = (
    "id",
    "kind",
    "run_id",
    "step",
    "text",
    "json",
    "occurred_at",
    "tokens",
    "cost",
    "latency_ms",
    "tool_name",
    "arguments",
    "tool_status",
    "error",
)


@dataclass(frozen=True)
class RunSpec:
    id: str
    agent_id: str | None = None
    status: RunStatus | None = None
    started_at: int | None = None
    ended_at: int | None = None
    metadata: str | None = None
    # The conversation or thread the run belongs to (runs of one session, in order).
    session_id: str | None = None


@dataclass
class NodeSpec:
    index: int
    id: str
    kind: RunNodeKind
    step: int
    text: str | None = None
    json: str | None = None
    occurred_at: int | None = None
    tokens: int | None = None
    cost: float | None = None
    latency_ms: int | None = None
    tool_name: str | None = None
    arguments: str | None = None
    tool_status: str | None = None
    error: str | None = None

    def content(self, run_id: str) -> dict[str, Any]:
        values = {f: getattr(self, f) for f in HASHED_FIELDS if f not in ("kind", "run_id")}
        return {**values, "kind": self.kind.value, "run_id": run_id}

    def stored_properties(self, run_id: str, now: int, content_hash: str) -> dict[str, Any]:
        """The properties a new node of this spec is stored with (besides tenant, id, hash)."""
        return {
            "kind": self.kind.value,
            "run_id": run_id,
            "step": self.step,
            "created_at": self.occurred_at if self.occurred_at is not None else now,
            "occurred_at": self.occurred_at,
            "text": self.text,
            "json": self.json,
            "tokens": self.tokens,
            "cost": self.cost,
            "latency_ms": self.latency_ms,
            "tool_name": self.tool_name,
            "arguments": self.arguments,
            "tool_status": self.tool_status,
            "error": self.error,
            "content_hash": content_hash,
        }


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    index: int
    kind: EdgeKind
    source: str
    target: str
    # Derived once: planning and validation read them many times per edge (plain slots, not
    # cached_property, whose per-instance lock cost ingest ~2 us per edge on Python 3.11).
    rel_type: RelType = field(init=False, repr=False, compare=False)
    effect: str = field(init=False, repr=False, compare=False)
    cause: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        spec = self.kind.spec
        forward = spec.source_is_effect
        derive = object.__setattr__  # frozen: set once, here
        derive(self, "rel_type", spec.rel_type)
        derive(self, "effect", self.source if forward else self.target)
        derive(self, "cause", self.target if forward else self.source)


@dataclass
class Batch:
    run: RunSpec
    nodes: list[NodeSpec] = field(default_factory=list)
    edges: list[EdgeSpec] = field(default_factory=list)


def canonical(value: Any) -> str:
    """RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units, no spaces,
    numbers as ECMAScript prints them (``1.0`` -> ``1``, ``1e-7``, ``1e+21``), strings with
    JSON's minimal escapes. A verifier in any language with a JCS library gets the same text.
    Integers beyond +-(2**53 - 1) and lone surrogates raise ``rfc8785.CanonicalizationError``
    (GraphQL's 32-bit Int and the batch limits keep hashed integers far below that)."""
    return canonical_json(value)


def sha256(text: str) -> str:
    return sha256_hex(text)


def content_hash(content: dict[str, Any]) -> str:
    return sha256(canonical({f: content.get(f) for f in HASHED_FIELDS}))


def chained_hash(own_content_hash: str, cause_hashes: Iterable[str]) -> str:
    return sha256(canonical([own_content_hash, sorted(cause_hashes)]))


_MOD = 1 << 256


def digest_terms(node_hashes: Iterable[str], edges: Iterable[tuple[str, str, str]]) -> int:
    """The sum of a multiset of items: node hashes and (effect, rel type, cause) triples."""
    total = 0
    for h in node_hashes:
        total += int(sha256("n:" + h), 16)
    for effect, rel, cause in edges:
        total += int(sha256(canonical(["e", effect, rel, cause])), 16)
    return total % _MOD


def add_digest(current: str | None, terms: int) -> str:
    base = int(current, 16) if current else 0
    return format((base + terms) % _MOD, "064x")


def _too_long(value: str | None, limit: int) -> bool:
    return value is not None and len(value) > limit


def _json_error(value: str | None) -> str | None:
    """Why ``value`` is not JSON, or None (also for no value)."""
    if value is None:
        return None
    try:
        json.loads(value)
    except ValueError as exc:
        return str(exc)
    except RecursionError:
        return "nested too deeply to parse"
    return None


def validate_run(run: RunSpec) -> None:
    validate_id(run.id, "run.id")
    if run.agent_id is not None:
        validate_id(run.agent_id, "run.agentId")
    if run.session_id is not None:
        validate_id(run.session_id, "run.sessionId")
    if _too_long(run.metadata, MAX_TEXT_CHARS):
        raise BadUserInput(
            f"run.metadata is longer than {MAX_TEXT_CHARS} characters", field="run.metadata"
        )
    if (error := _json_error(run.metadata)) is not None:
        raise BadUserInput(f"run.metadata is not valid JSON: {error}", field="run.metadata")
    if run.started_at is not None and run.ended_at is not None and run.ended_at < run.started_at:
        raise BadUserInput("run.endedAt is before run.startedAt", field="run.endedAt")


def _id_problem(value: str, items: str, index: int, suffix: str = "") -> str | None:
    """validate_id's message for ``{items}[{index}]{suffix}``, or None when the id is fine."""
    try:
        validate_id(value)
    except BadUserInput:
        try:
            validate_id(value, f"{items}[{index}]{suffix}")
        except BadUserInput as exc:
            return exc.message
    return None


def _node_problem(node: NodeSpec, run_id: str, seen: dict[str, int]) -> str | None:
    i = node.index
    problem = _id_problem(node.id, "nodes", i, ".id")
    if problem is not None:
        return problem
    if node.id == run_id:
        return f"node {node.id!r} has the run's own id"
    if node.id in seen:
        return f"node id {node.id!r} appears twice in the batch (nodes[{seen[node.id]}])"
    if not 0 <= node.step <= MAX_STEP:
        return f"step must be 0..{MAX_STEP}"
    for name in _TEXT_FIELDS:
        if _too_long(getattr(node, name), MAX_TEXT_CHARS):
            return f"nodes[{i}].{name} is longer than {MAX_TEXT_CHARS} characters"
    for name in ("tool_name", "tool_status"):
        if _too_long(getattr(node, name), MAX_SHORT_CHARS):
            return f"nodes[{i}].{name} is longer than {MAX_SHORT_CHARS} characters"
    for name in _JSON_FIELDS:
        if (error := _json_error(getattr(node, name))) is not None:
            return f"nodes[{i}].{name} is not valid JSON: {error}"
    for name in ("tokens", "latency_ms"):
        value = getattr(node, name)
        if value is not None and value < 0:
            return f"nodes[{i}].{name} may not be negative"
    if node.cost is not None and not (node.cost >= 0 and node.cost != float("inf")):
        return f"nodes[{i}].cost must be a finite number >= 0"
    return None


def _edge_problem(edge: EdgeSpec, run_id: str) -> str | None:
    i = edge.index
    if edge.kind not in RUN_EDGE_KINDS:
        allowed = ", ".join(sorted(k.value.upper() for k in RUN_EDGE_KINDS))
        return f"edges[{i}]: {edge.kind.value.upper()} is not a run edge kind ({allowed})"
    for end in (edge.source, edge.target):
        problem = _id_problem(end, "edges", i)
        if problem is not None:
            return problem
    if edge.source == edge.target:
        return f"edges[{i}] links {edge.source!r} to itself"
    if run_id in (edge.source, edge.target):
        return f"edges[{i}] may not link the run itself"
    return None


def validate_batch(batch: Batch) -> list[EdgeSpec]:
    """Check a batch without the engine; returns its edges without exact duplicates.

    Raises BAD_USER_INPUT naming the offending item (``kind`` node/edge, ``index``, ``id``).
    """
    validate_run(batch.run)
    if len(batch.nodes) > MAX_NODES_PER_BATCH:
        raise BadUserInput(f"at most {MAX_NODES_PER_BATCH} nodes per batch", field="nodes")
    if len(batch.edges) > MAX_EDGES_PER_BATCH:
        raise BadUserInput(f"at most {MAX_EDGES_PER_BATCH} edges per batch", field="edges")
    seen: dict[str, int] = {}
    for node in batch.nodes:
        # Messages and locations are built only for the item that fails (ingest's hot loop).
        problem = _node_problem(node, batch.run.id, seen)
        if problem is not None:
            raise BadUserInput(problem, item="node", index=node.index, id=node.id[:200])
        seen[node.id] = node.index
    edges: list[EdgeSpec] = []
    seen_edges: set[tuple[str, str, str]] = set()
    for edge in batch.edges:
        problem = _edge_problem(edge, batch.run.id)
        if problem is not None:
            where = f"{edge.source}->{edge.target}"[:200]
            raise BadUserInput(problem, item="edge", index=edge.index, id=where)
        key = (edge.effect, edge.rel_type.value, edge.cause)
        if key not in seen_edges:
            seen_edges.add(key)
            edges.append(edge)
    cycle = find_cycle(edges)
    if cycle is not None:
        raise BadUserInput(
            f"edges[{cycle.index}] ({cycle.source} -{cycle.kind.value}-> {cycle.target}) "
            "closes a cycle within the batch",
            item="edge",
            index=cycle.index,
            id=f"{cycle.source}->{cycle.target}",
        )
    return edges


def find_cycle(edges: Sequence[EdgeSpec]) -> EdgeSpec | None:
    """An edge on a cycle of the batch's own edges (Kahn's algorithm), or None."""
    out: dict[str, list[EdgeSpec]] = defaultdict(list)
    indegree: dict[str, int] = defaultdict(int)
    for e in edges:
        out[e.effect].append(e)
        indegree[e.cause] += 1
        indegree.setdefault(e.effect, 0)
    queue = deque(n for n, d in indegree.items() if d == 0)
    while queue:
        n = queue.popleft()
        for e in out[n]:
            indegree[e.cause] -= 1
            if indegree[e.cause] == 0:
                queue.append(e.cause)
    stuck = {n for n, d in indegree.items() if d > 0}
    if not stuck:
        return None
    candidates = [e for e in edges if e.effect in stuck and e.cause in stuck]
    return min(candidates, key=lambda e: e.index)


def topological(new_ids: Sequence[str], causes: dict[str, list[str]]) -> list[str]:
    """New node ids ordered so each comes after its new causes (batch edges are acyclic)."""
    new = set(new_ids)
    pending = {n: sum(1 for c in causes.get(n, []) if c in new) for n in new_ids}
    effects: dict[str, list[str]] = defaultdict(list)
    for n in new_ids:
        for c in causes.get(n, []):
            if c in new:
                effects[c].append(n)
    queue = deque(n for n in new_ids if pending[n] == 0)
    order: list[str] = []
    while queue:
        n = queue.popleft()
        order.append(n)
        for e in effects[n]:
            pending[e] -= 1
            if pending[e] == 0:
                queue.append(e)
    return order


def short(text: str | None, limit: int = 80) -> str | None:
    if text is None:
        return None
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def causal_paths(
    into: Mapping[str, Sequence[tuple[str, str]]],
    effect: str,
    cause: str,
    depth: int,
    limit: int,
) -> list[tuple[list[str], list[str]]]:
    """Up to ``limit`` paths effect -> ... -> cause of at most ``depth`` edges, as (node ids,
    relationship types), in the subgraph a breadth-first search from ``effect`` found:
    ``into[v]`` lists its edges ``(type, u)`` for u -> v. Each step goes only to a node that
    still reaches ``cause`` within the hops left, so every branch ends in a path."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node, edges in into.items():
        for rel, start in edges:
            out[start].append((rel, node))
    for edges in out.values():
        edges.sort(key=lambda e: (e[1], e[0]))
    to_cause = {cause: 0}
    queue = deque([cause])
    while queue:
        node = queue.popleft()
        for _rel, start in into.get(node, ()):
            if start not in to_cause:
                to_cause[start] = to_cause[node] + 1
                queue.append(start)
    paths: list[tuple[list[str], list[str]]] = []
    if to_cause.get(effect, depth + 1) > depth:
        return paths
    ids: list[str] = [effect]
    rels: list[str] = []

    def walk(node: str) -> None:
        for rel, nxt in out.get(node, ()):
            if len(paths) >= limit:
                return
            left = depth - len(rels) - 1
            if to_cause.get(nxt, left + 1) > left or nxt in ids:
                continue
            ids.append(nxt)
            rels.append(rel)
            if nxt == cause:
                paths.append((list(ids), list(rels)))
            else:
                walk(nxt)
            ids.pop()
            rels.pop()

    walk(effect)
    return paths
