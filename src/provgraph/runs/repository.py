"""Run-graph repository: the named queries of ``cypher/runs`` and the records they return."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Any, LiteralString

from provgraph.core.domain.paging import Slice
from provgraph.core.domain.vocabulary import EdgeKind, RelType
from provgraph.core.store import edge_pages, tenant_lock
from provgraph.core.store.executor import Executor, Params, Row, Tx
from provgraph.core.store.registry import query
from provgraph.core.store.traversal import Expand, Visit, breadth_first
from provgraph.runs.find import MODEL_PREFIX, Rollup, SearchHit, rollup_of
from provgraph.runs.records import (
    ExistingNode,
    NodeContent,
    NodeRecord,
    RunRecord,
    SessionRecord,
    StoredEdge,
    WrittenBatch,
)
from provgraph.runs.rules import RunNodeKind, causal_paths

FIND_NODES = query("runs/find_nodes")
GET_RUNS = query("runs/get_runs")
LIST_RUNS_BY_ID = query("runs/list_runs")
WRITE_BATCH = query("runs/write_batch")
FIND_EDGES = query("runs/find_edges")
FIND_CYCLES = query("runs/find_cycles")
GET_NODES = query("runs/get_nodes")
LIST_RUN_NODES = query("runs/list_run_nodes")
PAGE_RUN_NODES = query("runs/page_run_nodes")
PAGE_STEPS = query("runs/page_steps")
RUN_EDGES = query("runs/run_edges")
STEP_EDGES = query("runs/step_edges")
RUN_OUT_EDGES = query("runs/run_out_edges")
FIND_RUNS_BEFORE = query("runs/find_runs_before")
COUNT_RUN_CONTENTS = query("runs/count_run_contents")
DELETE_RUNS = query("runs/delete_runs")
PAGE_NODE_EDGES = query("runs/page_node_edges")

# write_batch's $batch holds one list of new nodes per run node kind (the kind's value names
# it) and one list of new edges per relationship type, under these names.
LINK_PARAMS: dict[RelType, LiteralString] = {
    RelType.WAS_INFLUENCED_BY: "influenced",
    RelType.WAS_TRIGGERED_BY: "triggered",
    RelType.WAS_PRODUCED_BY: "produced",
    RelType.CONSUMED: "consumed",
    RelType.SUPERSEDES: "supersedes",
    RelType.WAS_DERIVED_FROM: "derived_from",
}
LIST_RUNS_DESC = query("runs/list_runs_desc")
LIST_RUNS_ASC = query("runs/list_runs_asc")
ADD_RUN_LABEL = query("runs/add_run_label")
REMOVE_RUN_LABEL = query("runs/remove_run_label")
GET_SESSIONS = query("runs/get_sessions")
LIST_SESSIONS = query("runs/list_sessions")
PAGE_SESSION_RUNS = query("runs/page_session_runs")
SEARCH_NODES = query("runs/search_nodes")
SEARCH_RUN_NODES = query("runs/search_run_nodes")
SESSION_RUN_IDS = query("runs/session_run_ids")
ROLLUP_RUNS = query("runs/rollup_runs")
ROLLUP_SESSIONS = query("runs/rollup_sessions")
ROLLUP_NODES = query("runs/rollup_nodes")
LINK_RUN = {
    EdgeKind.STARTED_BY: query("runs/link_run_started_by"),
    EdgeKind.ACTED_ON_BEHALF_OF: query("runs/link_run_acted_on_behalf_of"),
    EdgeKind.INFORMED_BY: query("runs/link_run_informed_by"),
    EdgeKind.PART_OF: query("runs/link_run_part_of"),
    EdgeKind.GENERATED_BY: query("runs/link_run_generated_by"),
    EdgeKind.ATTRIBUTED_TO: query("runs/link_run_attributed_to"),
}
RUN_LINK_EXISTS = query("runs/run_link_exists")
UNLINK_RUN = query("runs/unlink_run")
EXPAND_CAUSES = query("runs/expand_causes")
EXPAND_EFFECTS = query("runs/expand_effects")
# With the reached nodes' text, or their content: chosen by what a traversal's answer selects.
EXPAND_WITH: dict[tuple[bool, NodeContent], str] = {
    (True, NodeContent.NONE): EXPAND_CAUSES,
    (False, NodeContent.NONE): EXPAND_EFFECTS,
    (True, NodeContent.TEXT): query("runs/expand_causes_text"),
    (False, NodeContent.TEXT): query("runs/expand_effects_text"),
    (True, NodeContent.ALL): query("runs/expand_causes_content"),
    (False, NodeContent.ALL): query("runs/expand_effects_content"),
}
# A traversal's order (and its pages'): distance, then id.
_DISTANCE_ID = attrgetter("distance", "id")
EXPAND_CAUSES_AS_OF = query("runs/expand_causes_as_of")
EXPAND_EFFECTS_AS_OF = query("runs/expand_effects_as_of")


def _edge_rows(grouped: list[Row]) -> list[Row]:
    """A level's rows, one per frontier node with its edges in ``reached`` (the level queries
    group them: the driver's cost is per row), as one row per edge with its ``from_id``."""
    rows: list[Row] = []
    for group in grouped:
        from_id = group["from_id"]
        reached: list[Row] = group["reached"]
        for row in reached:
            row["from_id"] = from_id
        rows += reached
    return rows


class RunRepository:
    def __init__(self, executor: Executor) -> None:
        self._ex = executor

    @property
    def executor(self) -> Executor:
        return self._ex

    # --- writes (inside one transaction) -------------------------------------------------

    async def ensure_lock(self, tenant: str, now: int) -> None:
        await tenant_lock.ensure(self._ex, tenant, now)

    @staticmethod
    async def lock(tx: Tx, tenant: str) -> bool:
        return await tenant_lock.take(tx, tenant)

    @staticmethod
    async def find_nodes(tx: Tx, tenant: str, ids: Sequence[str]) -> list[ExistingNode]:
        if not ids:
            return []
        rows = await tx.run(FIND_NODES, {"ids": list(ids)})
        return [ExistingNode.from_row(r) for r in rows]

    @staticmethod
    async def get_runs_in(tx: Tx, tenant: str, ids: Sequence[str]) -> list[RunRecord]:
        rows = await tx.run(GET_RUNS, {"ids": list(ids)})
        return [RunRecord.from_row(r) for r in rows]

    @staticmethod
    async def find_edges(tx: Tx, tenant: str, rows: list[Params]) -> list[StoredEdge]:
        if not rows:
            return []
        found = await tx.run(FIND_EDGES, {"rows": rows})
        return [StoredEdge.from_row(r) for r in found]

    @staticmethod
    async def write_batch(
        tx: Tx,
        runs: Sequence[Params],
        nodes: Mapping[RunNodeKind, list[dict[str, Any]]],
        edges: Mapping[RelType, list[dict[str, Any]]],
    ) -> WrittenBatch:
        """Upserts the runs (distinct ids), attributes them, creates the new nodes and edges of
        all of them: one statement.

        A node id already used in the tenant raises the driver's ``ConstraintError``."""
        unknown = set(edges) - set(LINK_PARAMS)
        if unknown:  # pragma: no cover - validate_batch allows run edge kinds only
            raise ValueError(f"not run edge types: {sorted(unknown)}")
        # One map parameter: its type never varies, so Neo4j plans the statement once.
        batch: dict[str, Any] = {"runs": list(runs)}
        batch.update({k.value: nodes.get(k, []) for k in RunNodeKind})
        batch.update({name: edges.get(rel, []) for rel, name in LINK_PARAMS.items()})
        rows = await tx.run(WRITE_BATCH, {"batch": batch})
        return WrittenBatch(
            {row["id"]: RunRecord.from_row(row) for row in rows},
            int(rows[0]["nodes_created"]),
            int(rows[0]["edges_created"]),
        )

    @staticmethod
    async def find_cycles(tx: Tx, tenant: str, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        out = await tx.run(FIND_CYCLES, {"rows": rows})
        return sorted(int(r["index"]) for r in out)

    # --- reads ----------------------------------------------------------------------------

    async def get_runs(self, tenant: str, ids: Sequence[str]) -> list[RunRecord]:
        rows = await self._ex.read(GET_RUNS, {"ids": list(ids)}, tenant=tenant)
        return [RunRecord.from_row(r) for r in rows]

    async def runs_in_id_order(
        self, tenant: str, session_id: str | None, after: str | None, limit: int
    ) -> list[RunRecord]:
        params = {"session_id": session_id or "", "after": after or "", "limit": limit}
        rows = await self._ex.read(LIST_RUNS_BY_ID, params, tenant=tenant)
        return [RunRecord.from_row(r) for r in rows]

    async def list_runs(
        self,
        tenant: str,
        filters: Params,
        *,
        descending: bool,
        after: tuple[int, str] | None,
        limit: int,
    ) -> Slice[RunRecord]:
        params = {
            **filters,
            "after_at": after[0] if after else None,
            "after_id": after[1] if after else None,
            "limit": limit,
        }
        name = LIST_RUNS_DESC if descending else LIST_RUNS_ASC
        rows = await self._ex.read(name, params, tenant=tenant)
        if not rows:
            return Slice([], 0)
        return Slice([RunRecord.from_row(r) for r in rows[0]["page"]], int(rows[0]["total"]))

    async def get_sessions(self, tenant: str, ids: Sequence[str]) -> list[SessionRecord]:
        rows = await self._ex.read(GET_SESSIONS, {"ids": list(ids)}, tenant=tenant)
        return [SessionRecord.from_row(r) for r in rows]

    async def list_sessions(
        self, tenant: str, filters: Params, after: tuple[int, str] | None, limit: int
    ) -> Slice[SessionRecord]:
        params = {
            **filters,
            "after_at": after[0] if after else None,
            "after_id": after[1] if after else None,
            "limit": limit,
        }
        rows = await self._ex.read(LIST_SESSIONS, params, tenant=tenant)
        if not rows:
            return Slice([], 0)
        return Slice([SessionRecord.from_row(r) for r in rows[0]["page"]], int(rows[0]["total"]))

    async def session_run_pages(
        self, tenant: str, ids: Sequence[str], after: tuple[int, str] | None, limit: int
    ) -> dict[str, Slice[RunRecord]]:
        """Per session: at most ``limit`` of its runs after the cursor, in order, and how many
        it has in all."""
        params = {
            "ids": list(ids),
            "after_at": after[0] if after else None,
            "after_id": after[1] if after else None,
            "limit": limit,
        }
        return {
            r["session_id"]: Slice([RunRecord.from_row(x) for x in r["page"]], int(r["total"]))
            for r in await self._ex.read(PAGE_SESSION_RUNS, params, tenant=tenant)
        }

    async def search(
        self,
        tenant: str,
        terms: Sequence[str],
        kinds: Sequence[str],
        run_ids: Sequence[str] | None,
        after: tuple[int, str] | None,
        limit: int,
    ) -> Slice[SearchHit]:
        """Ranked hits of ``terms`` among the tenant's run nodes and runs of ``kinds`` (only
        those of ``run_ids`` when given), one page after the cursor, and how many in all."""
        params: dict[str, Any] = {
            "terms": list(terms),
            "kinds": list(kinds),
            "after_score": after[0] if after else None,
            "after_id": after[1] if after else None,
            "limit": limit,
        }
        if run_ids is None:
            rows = await self._ex.read(SEARCH_NODES, params, tenant=tenant)
        else:
            params["run_ids"] = list(run_ids)
            rows = await self._ex.read(SEARCH_RUN_NODES, params, tenant=tenant)
        if not rows:
            return Slice([], 0)
        hits = [
            SearchHit(h["id"], h["kind"], h["run_id"], int(h["score"])) for h in rows[0]["page"]
        ]
        return Slice(hits, int(rows[0]["total"]))

    async def session_run_ids(self, tenant: str, session_id: str) -> list[str]:
        rows = await self._ex.read(SESSION_RUN_IDS, {"session_id": session_id}, tenant=tenant)
        return [str(r["id"]) for r in rows]

    async def rollup_runs(self, tenant: str, filters: Params) -> Rollup:
        params = {**filters, "model_prefix": MODEL_PREFIX}
        return rollup_of(await self._ex.read(ROLLUP_RUNS, params, tenant=tenant))

    async def rollup_sessions(self, tenant: str, ids: Sequence[str]) -> dict[str, Rollup]:
        params = {"ids": list(ids), "model_prefix": MODEL_PREFIX}
        by_session: dict[str, list[Row]] = {}
        for r in await self._ex.read(ROLLUP_SESSIONS, params, tenant=tenant):
            by_session.setdefault(r["session_id"], []).append(r)
        return {sid: rollup_of(rows) for sid, rows in by_session.items()}

    async def rollup_nodes(self, tenant: str, ids: Sequence[str]) -> Rollup:
        """One round trip, however many nodes."""
        params = {"ids": list(ids), "model_prefix": MODEL_PREFIX}
        return rollup_of(await self._ex.read(ROLLUP_NODES, params, tenant=tenant))

    @staticmethod
    async def run_link_exists(
        tx: Tx, tenant: str, run_id: str, rel_type: RelType, target: str
    ) -> bool:
        params = {"run_id": run_id, "target": target, "type": rel_type.value}
        rows = await tx.run(RUN_LINK_EXISTS, params)
        return bool(rows and int(rows[0]["found"]))

    @staticmethod
    async def link_run(
        tx: Tx, tenant: str, kind: EdgeKind, run_id: str, target: str, now: int
    ) -> bool:
        rows = await tx.run(LINK_RUN[kind], {"run_id": run_id, "target": target, "now": now})
        return bool(rows and int(rows[0]["linked"]))

    async def unlink_run(self, tenant: str, run_id: str, rel_type: RelType, target: str) -> bool:
        params = {"run_id": run_id, "target": target, "type": rel_type.value}
        rows = await self._ex.write(UNLINK_RUN, params, tenant=tenant)
        return bool(rows and int(rows[0]["removed"]))

    async def find_any_nodes(self, tenant: str, ids: Sequence[str]) -> list[ExistingNode]:
        """Any node of the tenant with these ids (run nodes, runs, tasks, agents, ...)."""
        rows = await self._ex.read(FIND_NODES, {"ids": list(ids)}, tenant=tenant)
        return [ExistingNode.from_row(r) for r in rows]

    async def set_run_label(
        self, tenant: str, run_id: str, label: str, *, add: bool
    ) -> RunRecord | None:
        name = ADD_RUN_LABEL if add else REMOVE_RUN_LABEL
        rows = await self._ex.write(name, {"id": run_id, "label": label}, tenant=tenant)
        return RunRecord.from_row(rows[0]) if rows else None

    async def get_nodes(self, tenant: str, ids: Sequence[str]) -> list[NodeRecord]:
        rows = await self._ex.read(GET_NODES, {"ids": list(ids)}, tenant=tenant)
        return [NodeRecord.from_row(r) for r in rows]

    async def list_run_nodes(
        self,
        tenant: str,
        run_id: str,
        *,
        step: int | None,
        kinds: Sequence[str],
        after: tuple[int, str] | None,
        limit: int,
    ) -> list[NodeRecord]:
        params = {
            "run_id": run_id,
            "step": -1 if step is None else step,
            "kinds": list(kinds),
            "after_step": after[0] if after else -1,
            "after_id": after[1] if after else "",
            "limit": limit,
        }
        rows = await self._ex.read(LIST_RUN_NODES, params, tenant=tenant)
        return [NodeRecord.from_row(r) for r in rows]

    async def run_node_pages(
        self,
        tenant: str,
        run_ids: Sequence[str],
        *,
        step: int | None,
        kinds: Sequence[str],
        after: tuple[int, str] | None,
        limit: int,
    ) -> dict[str, Slice[NodeRecord]]:
        """Per run: at most ``limit`` of its nodes after the cursor, ordered by (step, id), and
        how many pass the filters in all."""
        params = {
            "ids": list(run_ids),
            "step": -1 if step is None else step,
            "kinds": list(kinds),
            "after_step": after[0] if after else -1,
            "after_id": after[1] if after else "",
            "limit": limit,
        }
        return {
            r["run_id"]: Slice([NodeRecord.from_row(n) for n in r["page"]], int(r["total"]))
            for r in await self._ex.read(PAGE_RUN_NODES, params, tenant=tenant)
        }

    async def step_pages(
        self, tenant: str, run_ids: Sequence[str], after: int | None, limit: int
    ) -> dict[str, Slice[tuple[int, int]]]:
        """Per run: at most ``limit`` of its ``(step, nodes)`` after the cursor, in step order,
        and how many steps it has in all (a run without nodes has none)."""
        params = {
            "ids": list(run_ids),
            "after_step": -1 if after is None else after,
            "limit": limit,
        }
        return {
            r["run_id"]: Slice(
                [(int(s["step"]), int(s["nodes"])) for s in r["page"]], int(r["total"])
            )
            for r in await self._ex.read(PAGE_STEPS, params, tenant=tenant)
        }

    async def run_edges(
        self, tenant: str, run_id: str, types: Sequence[str], limit: int
    ) -> list[StoredEdge]:
        rows = await self._ex.read(
            RUN_EDGES, {"run_id": run_id, "types": list(types), "limit": limit}, tenant=tenant
        )
        return [StoredEdge.from_row(r) for r in rows]

    async def step_edges(
        self, tenant: str, run_id: str, step: int, types: Sequence[str], limit: int
    ) -> list[StoredEdge]:
        params = {
            "run_id": run_id,
            "step": step,
            "types": list(types),
            "limit": limit,
        }
        rows = await self._ex.read(STEP_EDGES, params, tenant=tenant)
        return [StoredEdge.from_row(r) for r in rows]

    async def node_edge_pages(
        self,
        tenant: str,
        keys: Sequence[tuple[str, bool]],
        types: Sequence[str],
        after: tuple[EdgeKind, str, str] | None,
        limit: int,
    ) -> dict[tuple[str, bool], Slice[tuple[EdgeKind, str, str]]]:
        """Per ``(node id, outgoing)``: at most ``limit`` of the node's outgoing (or incoming)
        edges in the client's orientation after the cursor (order: ``edge_pages``), and how many
        it has in all."""
        params = {
            "keys": [{"id": node_id, "outgoing": outgoing} for node_id, outgoing in keys],
            "types": list(types),
            **edge_pages.order_params(after),
            "limit": limit,
        }
        return {
            (r["node_id"], bool(r["outgoing"])): Slice(
                [edge_pages.edge_of(e) for e in r["page"]], int(r["total"])
            )
            for r in await self._ex.read(PAGE_NODE_EDGES, params, tenant=tenant)
        }

    async def run_out_edges(
        self, tenant: str, run_id: str, types: Sequence[str]
    ) -> list[StoredEdge]:
        rows = await self._ex.read(
            RUN_OUT_EDGES, {"run_id": run_id, "types": list(types)}, tenant=tenant
        )
        return [StoredEdge.from_row(r) for r in rows]

    async def traverse(
        self,
        tenant: str,
        node_id: str,
        *,
        ancestors: bool,
        depth: int,
        types: Sequence[str],
        kinds: Sequence[str],
        limit: int,
        after: tuple[int, str] | None = None,
        as_of: int | None = None,
        content: NodeContent = NodeContent.NONE,
        probe_beyond: bool = True,
    ) -> tuple[list[Visit], bool, set[str]]:
        """Every node within ``depth`` at its shortest distance, with every edge into it from a
        node nearer the origin (``via``): the ``limit`` first by (distance, id) of those of
        ``kinds`` (all when empty) after the ``after`` key, whether nodes lie beyond ``depth``
        (one more level read), and the ids of every node walked. Breadth-first, in one read
        transaction; it stops after the level where ``limit`` nodes are found. ``content``: the
        node properties the level rows carry besides kind, step and run (not ``as_of``).
        ``probe_beyond``: read the level beyond ``depth`` to tell whether nodes lie there
        (False: that answer is False, unlooked for)."""
        wanted = frozenset(kinds)

        def filtered(row: Row, distance: int) -> bool:
            if wanted and row["kind"] not in wanted:
                return False
            return after is None or (distance, str(row["id"])) > after

        # No filter and no cursor: every node counts (no call per node).
        counts = filtered if wanted or after is not None else None

        async def work(tx: Tx) -> tuple[list[Visit], bool, set[str]]:
            plain = self._expand(tx, tenant, ancestors, types, as_of)
            walk = await breadth_first(
                plain
                if as_of is not None or content is NodeContent.NONE
                else self._expand(tx, tenant, ancestors, types, content=content),
                node_id,
                depth,
                counts=counts,
                enough=limit,
                probe_beyond=probe_beyond,
                probe=plain,
            )
            visits = walk.visits.values()
            chosen = (
                list(visits) if counts is None else [v for v in visits if counts(v.row, v.distance)]
            )
            chosen.sort(key=_DISTANCE_ID)
            return chosen[:limit], walk.beyond_depth, set(walk.visits)

        return await self._ex.read_tx("runs/traverse", work, tenant=tenant)

    async def lineage(
        self,
        tenant: str,
        effect: str,
        cause: str,
        *,
        depth: int,
        types: Sequence[str],
        limit: int,
        as_of: int | None = None,
        probe_beyond: bool = True,
    ) -> tuple[list[tuple[list[str], list[str]]], bool]:
        """Up to ``limit`` paths effect -> ... -> cause (stored direction) of at most ``depth``
        edges, as (node ids, relationship types), and whether the causes of ``effect`` go on
        beyond ``depth`` (longer paths may exist). The causes of ``effect`` within ``depth`` are
        found breadth-first, then the paths are walked in that subgraph only through nodes
        that still reach ``cause`` in the hops left: no dead ends, so the work is linear in
        the subgraph plus the paths returned (a path pattern would try every path).
        ``probe_beyond`` False: the level beyond ``depth`` is not read (and reported False)."""

        async def work(tx: Tx) -> tuple[list[tuple[list[str], list[str]]], bool]:
            walk = await breadth_first(
                self._expand(tx, tenant, True, types, as_of),
                effect,
                depth,
                probe_beyond=probe_beyond,
            )
            into = {node_id: visit.via for node_id, visit in walk.visits.items()}
            return causal_paths(into, effect, cause, depth, limit), walk.beyond_depth

        return await self._ex.read_tx("runs/lineage", work, tenant=tenant)

    @staticmethod
    def _expand(
        tx: Tx,
        tenant: str,
        ancestors: bool,
        types: Sequence[str],
        as_of: int | None = None,
        content: NodeContent = NodeContent.NONE,
    ) -> Expand:
        """One breadth-first level towards causes (``ancestors``) or effects, the reached
        nodes with ``content``; with ``as_of`` only the edges and nodes recorded by then."""
        type_list = list(types)
        if as_of is None:
            name = EXPAND_WITH[ancestors, content]

            async def expand(ids: list[str]) -> list[Row]:
                return _edge_rows(await tx.run(name, {"ids": ids, "types": type_list}))

            return expand
        windowed = EXPAND_CAUSES_AS_OF if ancestors else EXPAND_EFFECTS_AS_OF

        async def expand_as_of(ids: list[str]) -> list[Row]:
            rows = await tx.run(windowed, {"ids": ids, "types": type_list, "as_of": as_of})
            return _edge_rows(rows)

        return expand_as_of

    async def prune(self, tenant: str, cutoff: int, *, delete: bool) -> tuple[list[str], int, int]:
        """The runs started before ``cutoff`` with their node and edge counts, deleted too
        unless only counting: found, counted and deleted in one transaction, so the report
        is exactly what was deleted."""

        async def work(tx: Tx) -> tuple[list[str], int, int]:
            run_ids = [str(r["id"]) for r in await tx.run(FIND_RUNS_BEFORE, {"cutoff": cutoff})]
            if not run_ids:
                return [], 0, 0
            rows = await tx.run(COUNT_RUN_CONTENTS, {"run_ids": run_ids})
            nodes, edges = (int(rows[0]["nodes"]), int(rows[0]["edges"])) if rows else (0, 0)
            if delete:
                await tx.run(DELETE_RUNS, {"run_ids": run_ids})
            return run_ids, nodes, edges

        if delete:
            return await self._ex.write_tx("runs/prune", work, tenant=tenant)
        return await self._ex.read_tx("runs/prune", work, tenant=tenant)
