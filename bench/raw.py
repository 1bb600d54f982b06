"""The raw-driver baseline: the same runs written with hand-written ``UNWIND`` batches.

It stores what provgraph stores (labels ``:Node:<Kind>``, the same properties including the
content and chained hashes, the run node with its digest and counters, the same relationship
types and edge properties) so provgraph's read queries work on it and the comparison is of
equal work. What it leaves out is what only a server does: input validation, idempotency
lookups, the tenant lock and the GraphQL layer. One run is one write transaction.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from bench.workload import WNode, WRun
from provgraph.core.domain.vocabulary import RelType
from provgraph.engine.connection import Engine
from provgraph.runs import rules as domain
from provgraph.runs.repository import LINK_PARAMS

# Fixed statements, one per run node label and run relationship type (labels cannot be
# parameters); tests/unit/test_vocabulary_cypher.py checks they cover the vocabulary.
_CREATE_NODES: dict[str, LiteralString] = {
    "DECISION": "UNWIND $rows AS row CREATE (n:Node:Decision {tenant: $tenant, id: row.id}) "
    "SET n += row.props",
    "TOOL_CALL": "UNWIND $rows AS row CREATE (n:Node:ToolCall {tenant: $tenant, id: row.id}) "
    "SET n += row.props",
    "TOOL_RESULT": "UNWIND $rows AS row CREATE (n:Node:ToolResult {tenant: $tenant, id: row.id}) "
    "SET n += row.props",
    "MEMORY_FACT": "UNWIND $rows AS row CREATE (n:Node:MemoryFact {tenant: $tenant, id: row.id}) "
    "SET n += row.props",
    "OBSERVATION": "UNWIND $rows AS row CREATE (n:Node:Observation {tenant: $tenant, id: row.id}) "
    "SET n += row.props",
    "INPUT": "UNWIND $rows AS row CREATE (n:Node:Input {tenant: $tenant, id: row.id}) "
    "SET n += row.props",
    "OUTPUT": "UNWIND $rows AS row CREATE (n:Node:Output {tenant: $tenant, id: row.id}) "
    "SET n += row.props",
}
_LINK = (
    "UNWIND $rows AS row "
    "MATCH (a:Node {tenant: $tenant, id: row.effect}) "
    "MATCH (b:Node {tenant: $tenant, id: row.cause}) "
)
_CREATE_EDGES: dict[RelType, LiteralString] = {
    RelType.WAS_INFLUENCED_BY: _LINK
    + "CREATE (a)-[:WAS_INFLUENCED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)",
    RelType.WAS_TRIGGERED_BY: _LINK
    + "CREATE (a)-[:WAS_TRIGGERED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)",
    RelType.WAS_PRODUCED_BY: _LINK
    + "CREATE (a)-[:WAS_PRODUCED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)",
    RelType.CONSUMED: _LINK
    + "CREATE (a)-[:CONSUMED {sealed: row.sealed, created_at: row.created_at}]->(b)",
    RelType.SUPERSEDES: _LINK
    + "CREATE (a)-[:SUPERSEDES {sealed: row.sealed, created_at: row.created_at}]->(b)",
    RelType.WAS_DERIVED_FROM: _LINK
    + "CREATE (a)-[:WAS_DERIVED_FROM {sealed: row.sealed, created_at: row.created_at}]->(b)",
}
# Runs as UNWIND rows too, so several runs can share one transaction (the traversal graph).
_RUNS: LiteralString = (
    "UNWIND $rows AS row "
    "MERGE (r:Node:Run {tenant: $tenant, id: row.id}) "
    "ON CREATE SET r.kind = 'run', r.created_at = row.now, r.node_count = 0, r.edge_count = 0 "
    "SET r.agent_id = row.agent_id, r.status = row.status, r.started_at = row.started_at, "
    "r.ended_at = row.ended_at, r.metadata = row.metadata, r.root_digest = row.root_digest, "
    "r.node_count = r.node_count + row.nodes, r.edge_count = r.edge_count + row.edges"
)
_ATTRIBUTE: LiteralString = (
    "UNWIND $rows AS row "
    "MATCH (r:Node:Run {tenant: $tenant, id: row.id}) "
    "MATCH (g:Node:Agent {tenant: $tenant, id: row.agent_id}) "
    "MERGE (r)-[:WAS_ATTRIBUTED_TO]->(g)"
)


# One statement for a whole transaction (the shape provgraph's runs/write_batch uses): the runs,
# every label's nodes and every type's edges, each block a CALL over its own list.
_KIND_PARAMS: dict[str, LiteralString] = {
    "DECISION": "decision",
    "TOOL_CALL": "tool_call",
    "TOOL_RESULT": "tool_result",
    "MEMORY_FACT": "memory_fact",
    "OBSERVATION": "observation",
    "INPUT": "input",
    "OUTPUT": "output",
}
_REL_PARAMS = LINK_PARAMS


def _one_statement() -> LiteralString:
    # Every list comes in one map parameter, $batch: Neo4j plans a statement per query text and
    # parameter types, and separate lists (some empty) would make it plan again and again.
    text: LiteralString = (
        "CALL () { " + _RUNS.replace("$rows", "$batch.runs") + " RETURN count(r) AS runs } "
    )
    for kind, param in _KIND_PARAMS.items():
        body = _CREATE_NODES[kind].replace("$rows", "$batch." + param)
        text += "CALL () { " + body + " RETURN count(n) AS " + param + " } "
    for rel, param in _REL_PARAMS.items():
        body = _CREATE_EDGES[rel].replace("$rows", "$batch." + param)
        text += "CALL () { " + body + " RETURN count(*) AS " + param + " } "
    text += (
        "CALL () { " + _ATTRIBUTE.replace("$rows", "$batch.runs") + " RETURN count(*) AS linked } "
    )
    return text + "RETURN runs"


_ONE_STATEMENT = _one_statement()


def domain_batch(run: WRun) -> domain.Batch:
    """The run as the domain's batch, as ``recordRun``'s input becomes one (for the service
    measured in process, without HTTP and GraphQL)."""
    spec = domain.RunSpec(
        id=run.id,
        agent_id=run.agent_id,
        status=domain.RunStatus.SUCCEEDED,
        started_at=run.started_at_ms,
        ended_at=run.ended_at_ms,
        metadata=run.metadata,
    )
    nodes = [_spec(i, n) for i, n in enumerate(run.nodes)]
    edges = [domain.EdgeSpec(i, e.kind, e.source, e.target) for i, e in enumerate(run.edges)]
    return domain.Batch(spec, nodes, edges)


def _spec(index: int, node: WNode) -> domain.NodeSpec:
    return domain.NodeSpec(
        index=index,
        id=node.id,
        kind=domain.RunNodeKind[node.kind],
        step=node.step,
        text=node.text,
        json=node.json,
        occurred_at=node.created_at_ms,
        tokens=node.tokens,
        cost=node.cost,
        latency_ms=node.latency_ms,
        tool_name=node.tool_name,
        arguments=node.arguments,
        tool_status=node.tool_status,
        error=node.error,
    )


class RawBatch:
    """The rows of some runs, hashes computed as provgraph computes them."""

    def __init__(self, runs: list[WRun], tenant: str) -> None:
        self.tenant = tenant
        self.runs: list[dict[str, Any]] = []
        self.nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.edges: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        for run in runs:
            self._add(run)

    def _add(self, run: WRun) -> None:
        now = int(time.time() * 1000)
        specs = {n.id: _spec(i, n) for i, n in enumerate(run.nodes)}
        causes: dict[str, list[str]] = defaultdict(list)
        triples: list[tuple[str, str, str]] = []
        for edge in run.edges:
            spec = edge.kind.spec
            effect, cause = (
                (edge.source, edge.target) if spec.source_is_effect else (edge.target, edge.source)
            )
            causes[effect].append(cause)
            triples.append((effect, spec.rel_type.value, cause))
            self.edges[spec.rel_type].append(
                {"effect": effect, "cause": cause, "sealed": True, "created_at": now}
            )
        hashes: dict[str, str] = {}
        content: dict[str, str] = {}
        for node_id in domain.topological(list(specs), causes):
            content[node_id] = domain.content_hash(specs[node_id].content(run.id))
            hashes[node_id] = domain.chained_hash(
                content[node_id], (hashes[c] for c in causes.get(node_id, []))
            )
        for node in run.nodes:
            s = specs[node.id]
            props = {
                **s.stored_properties(run.id, now, content[node.id]),
                "hash": hashes[node.id],
            }
            props = {k: v for k, v in props.items() if v is not None}
            self.nodes[node.kind].append({"id": node.id, "props": props})
        self.runs.append(
            {
                "id": run.id,
                "now": now,
                "agent_id": run.agent_id,
                "status": domain.RunStatus.SUCCEEDED.value,
                "started_at": run.started_at_ms,
                "ended_at": run.ended_at_ms,
                "metadata": run.metadata,
                "root_digest": domain.add_digest(
                    None, domain.digest_terms(hashes.values(), triples)
                ),
                "nodes": len(run.nodes),
                "edges": len(run.edges),
            }
        )

    @property
    def statement_count(self) -> int:
        return 2 + len(self.nodes) + len(self.edges)

    async def write_one_statement(self, tx: AsyncManagedTransaction) -> None:
        batch: dict[str, Any] = {"runs": self.runs}
        batch.update({p: self.nodes.get(k, []) for k, p in _KIND_PARAMS.items()})
        batch.update({p: self.edges.get(r, []) for r, p in _REL_PARAMS.items()})
        await (await tx.run(_ONE_STATEMENT, tenant=self.tenant, batch=batch)).consume()

    async def write(self, tx: AsyncManagedTransaction) -> None:
        await (await tx.run(_RUNS, rows=self.runs, tenant=self.tenant)).consume()
        for kind, rows in self.nodes.items():
            await (await tx.run(_CREATE_NODES[kind], rows=rows, tenant=self.tenant)).consume()
        for rel, rows in self.edges.items():
            await (await tx.run(_CREATE_EDGES[rel], rows=rows, tenant=self.tenant)).consume()
        await (await tx.run(_ATTRIBUTE, rows=self.runs, tenant=self.tenant)).consume()


class RawWriter:
    def __init__(self, engine: Engine, tenant: str) -> None:
        self.engine = engine
        self.tenant = tenant

    async def write_run(self, run: WRun) -> float:
        """Write one run in one transaction; returns the seconds it took (rows and hashes
        included)."""
        return await self.write_runs([run])

    async def write_runs(self, runs: list[WRun], *, one_statement: bool = False) -> float:
        """Write some runs in one transaction (one statement per label and type, or one
        statement for all); returns the seconds it took."""
        t0 = time.perf_counter()
        batch = RawBatch(runs, self.tenant)
        work = batch.write_one_statement if one_statement else batch.write
        async with self.engine.driver.session(database=self.engine.database) as session:
            await session.execute_write(work)
        return time.perf_counter() - t0
