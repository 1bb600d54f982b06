"""Export use cases: a run, a session or a traversal answer gathered through the runs and
tracker services (never their repositories), written as PROV or OTLP JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from provgraph.config import Settings
from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.paging import PageRequest
from provgraph.export.otlp_rules import to_otlp
from provgraph.export.prov_rules import ProvFormat, serialize, to_prov
from provgraph.export.records import (
    ExportAgent,
    ExportEdge,
    ExportNode,
    ExportRun,
    Graph,
    OtherNode,
)
from provgraph.runs.service import RunService
from provgraph.tracker.service import AgentService

# The most runs one session export holds, and the most run nodes of one export.
MAX_SESSION_RUNS = 1_000
MAX_EXPORT_NODES = 50_000
# Edges read per node (each node's own out-edges: more than this is refused, not cut).
MAX_EDGES_PER_NODE = 10_000
# Nodes whose edges are read in one query.
EDGE_KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class Scope:
    """What to export: exactly one of a run, a session, or a node's ancestors/descendants."""

    run_id: str | None = None
    session_id: str | None = None
    node_id: str | None = None
    ancestors: bool = True
    depth: int | None = None

    def check(self) -> None:
        given = [
            name
            for name, value in (
                ("run_id", self.run_id),
                ("session_id", self.session_id),
                ("node_id", self.node_id),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise BadUserInput(
                "give exactly one of run_id, session_id, node_id",
                field=given[-1] if given else "run_id",
            )


@dataclass(frozen=True)
class ExportedDocument:
    format: str
    document: str
    run_ids: list[str]
    element_count: int
    span_count: int = 0


class ExportService:
    def __init__(self, runs: RunService, agents: AgentService, settings: Settings) -> None:
        self._runs = runs
        self._agents = agents
        self._settings = settings

    # --- gathering ------------------------------------------------------------------------

    async def graph(self, tenant: str, scope: Scope) -> Graph:
        scope.check()
        if scope.run_id is not None:
            return await self.runs_graph(tenant, [scope.run_id])
        if scope.session_id is not None:
            runs = await self._runs.runs_in_id_order(
                tenant, session_id=scope.session_id, limit=MAX_SESSION_RUNS + 1
            )
            if len(runs) > MAX_SESSION_RUNS:
                raise BadUserInput(
                    f"session has more than {MAX_SESSION_RUNS} runs: export them one by one",
                    field="session_id",
                )
            return await self.runs_graph(tenant, [r.id for r in runs])
        assert scope.node_id is not None
        return await self.traversal_graph(tenant, scope.node_id, scope.ancestors, scope.depth)

    async def runs_graph(self, tenant: str, run_ids: Sequence[str]) -> Graph:
        """Whole runs: every node, every edge between their nodes (also across the runs), and
        the runs' agents. NOT_FOUND for a missing run."""
        graph = Graph()
        for run_id in run_ids:
            sub = await self._runs.subgraph(tenant, run_id, None)
            if sub.truncated:
                raise BadUserInput(
                    f"run {run_id!r} is larger than PROVGRAPH_MAX_RESULT_NODES "
                    f"({self._settings.max_result_nodes} nodes) and cannot be exported whole",
                    id=run_id,
                )
            graph.runs.append(_run(sub.run))
            graph.nodes.extend(_node(n) for n in sub.nodes)
            if len(graph.nodes) > MAX_EXPORT_NODES:
                raise BadUserInput(
                    f"more than {MAX_EXPORT_NODES} nodes: export fewer runs at a time", id=run_id
                )
        graph.edges = await self._edges_between(tenant, [n.id for n in graph.nodes])
        graph.agents = await self._agents_of(tenant, graph.runs)
        return graph

    async def traversal_graph(
        self, tenant: str, node_id: str, ancestors: bool, depth: int | None
    ) -> Graph:
        found = await self._runs.traverse(tenant, node_id, ancestors=ancestors, depth=depth)
        ids = [node_id, *(n.id for n in found.nodes)]
        records = await self._runs.get_nodes(tenant, ids)
        nodes = [_node(n) for n in records]
        run_ids = sorted({n.run_id for n in nodes})
        runs = [_run(r) for r in await self._runs.get_runs(tenant, run_ids)]
        others = [OtherNode(o.id, o.kind) for o in found.others if o.kind != "run"]
        edges = [ExportEdge(e.kind, e.source, e.target) for e in found.edges]
        graph = Graph(runs=runs, nodes=nodes, edges=edges, others=others)
        graph.agents = await self._agents_of(tenant, runs)
        return graph

    async def _edges_between(self, tenant: str, node_ids: Sequence[str]) -> list[ExportEdge]:
        have = set(node_ids)
        edges: list[ExportEdge] = []
        page = PageRequest(MAX_EDGES_PER_NODE)
        for start in range(0, len(node_ids), EDGE_KEYS_PER_QUERY):
            keys = [(i, True) for i in node_ids[start : start + EDGE_KEYS_PER_QUERY]]
            for (source, _), got in (await self._runs.edge_pages(tenant, keys, page)).items():
                if got.total > MAX_EDGES_PER_NODE:
                    raise BadUserInput(
                        f"node {source!r} has more than {MAX_EDGES_PER_NODE} edges", id=source
                    )
                edges.extend(
                    ExportEdge(e.kind, e.source, e.target) for e in got.rows if e.target in have
                )
        return edges

    async def _agents_of(self, tenant: str, runs: Iterable[ExportRun]) -> list[ExportAgent]:
        ids = sorted({r.agent_id for r in runs if r.agent_id})
        if not ids:
            return []
        known = await self._agents.get_many(tenant, ids)
        out = []
        for agent_id in ids:
            agent = known.get(agent_id)
            if agent is None:
                out.append(ExportAgent(agent_id))
                continue
            out.append(
                ExportAgent(
                    agent_id,
                    agent.agent_kind.value,
                    agent.name,
                    agent.role.value if agent.role else None,
                    agent.provider,
                    agent.model,
                )
            )
        return out

    # --- documents ------------------------------------------------------------------------

    async def prov(self, tenant: str, scope: Scope, fmt: ProvFormat) -> ExportedDocument:
        graph = await self.graph(tenant, scope)
        text = serialize(to_prov(graph), fmt)
        return ExportedDocument(
            fmt.value, text, sorted(r.id for r in graph.runs), graph.element_count
        )

    async def otlp(self, tenant: str, scope: Scope) -> ExportedDocument:
        """The scope as one OTLP/JSON trace request (README: OTLP export)."""
        graph = await self.graph(tenant, scope)
        out = to_otlp(graph)
        text = json.dumps(out.document, ensure_ascii=False, separators=(",", ":"))
        return ExportedDocument(
            "otlp_json",
            text,
            sorted(r.id for r in graph.runs),
            graph.element_count,
            out.span_count,
        )


class _RunLike(Protocol):
    """What the runs service returns for a run (read by attribute, never imported)."""

    @property
    def id(self) -> str: ...
    @property
    def agent_id(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def started_at(self) -> int | None: ...
    @property
    def ended_at(self) -> int | None: ...
    @property
    def metadata(self) -> str | None: ...
    @property
    def session_id(self) -> str | None: ...
    @property
    def root_digest(self) -> str | None: ...


class _NodeLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def run_id(self) -> str: ...
    @property
    def step(self) -> int: ...
    @property
    def text(self) -> str | None: ...
    @property
    def json_text(self) -> str | None: ...
    @property
    def occurred_at(self) -> int | None: ...
    @property
    def tokens(self) -> int | None: ...
    @property
    def cost(self) -> float | None: ...
    @property
    def latency_ms(self) -> int | None: ...
    @property
    def tool_name(self) -> str | None: ...
    @property
    def arguments(self) -> str | None: ...
    @property
    def tool_status(self) -> str | None: ...
    @property
    def error(self) -> str | None: ...
    @property
    def content_hash(self) -> str | None: ...
    @property
    def hash(self) -> str | None: ...


def _run(r: _RunLike) -> ExportRun:
    return ExportRun(
        r.id,
        r.agent_id,
        r.status,
        r.started_at,
        r.ended_at,
        r.metadata,
        r.session_id,
        r.root_digest,
    )


def _node(n: _NodeLike) -> ExportNode:
    return ExportNode(
        n.id,
        n.kind,
        n.run_id,
        n.step,
        n.text,
        n.json_text,
        n.occurred_at,
        n.tokens,
        n.cost,
        n.latency_ms,
        n.tool_name,
        n.arguments,
        n.tool_status,
        n.error,
        n.content_hash,
        n.hash,
    )
