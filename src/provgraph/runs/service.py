"""Run-graph use cases: record batches, traverse causality, compare runs, verify, prune."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from provgraph.config import Settings
from provgraph.core.domain.errors import BadUserInput, Conflict, NotFound
from provgraph.core.domain.ids import validate_id
from provgraph.core.domain.paging import PageRequest, Slice
from provgraph.core.domain.timefmt import now_ms
from provgraph.core.domain.vocabulary import CAUSAL_REL_TYPES, EdgeKind, RelType
from provgraph.core.observe.events import Event, EventPublisher
from provgraph.core.store.executor import Tx
from provgraph.core.store.traversal import DepthAnswer, DepthLimit, clamp_depth
from provgraph.runs.diff import RunDiff, diff_runs
from provgraph.runs.find import (
    Rollup,
    RunFilter,
    RunOrder,
    SearchHit,
    SearchKind,
    SessionFilter,
    aggregate,
    check_run_label,
    metadata_terms,
    search_terms,
)
from provgraph.runs.links import RUN_LINK_TARGETS, RUN_TO_RUN
from provgraph.runs.records import (
    ExistingNode,
    NodeContent,
    NodeRecord,
    RunEdge,
    RunRecord,
    SessionRecord,
    all_oriented,
)
from provgraph.runs.repository import RunRepository
from provgraph.runs.rules import (
    MAX_BATCHES_PER_REQUEST,
    MAX_EDGES_PER_BATCH,
    MAX_NODES_PER_BATCH,
    MAX_STEP,
    RUN_REL_TYPES,
    Batch,
    EdgeSpec,
    RunNodeKind,
    add_digest,
    chained_hash,
    content_hash,
    digest_terms,
    topological,
    validate_batch,
)

RUN_NODE_KINDS = frozenset(k.value for k in RunNodeKind)
DEFAULT_DEPTH = 3
MAX_LINEAGE_PATHS = 100
MAX_DIFF_NODES = 50_000


class _NeedsLock(Exception):
    """Run the batch again holding the tenant lock: its edges turned out to need it, or the
    lock node is gone (first batch, or the tenant was wiped)."""


@dataclass(frozen=True)
class RecordResult:
    run: RunRecord
    nodes_created: int
    nodes_unchanged: int
    edges_created: int
    edges_unchanged: int
    run_changed: bool
    # What this batch created (for the events published after commit).
    new_node_ids: tuple[str, ...] = ()
    new_edges: tuple[tuple[str, str, str], ...] = ()  # (source, kind, target)
    status_changed: bool = False

    @property
    def changed(self) -> bool:
        return self.run_changed or self.nodes_created > 0 or self.edges_created > 0


# Not frozen: an answer makes one per node reached, thousands at a time, and a frozen
# dataclass's __init__ sets each field through object.__setattr__ (4,530 nodes: 2.7 ms frozen,
# 0.6 ms not). Nothing changes it after the service returns it.
@dataclass(slots=True)
class ReachedNode:
    id: str
    kind: str
    step: int | None
    run_id: str | None
    distance: int
    # The node's content as the traversal read it, if it did: ``loaded`` says which fields,
    # all of them in ``record`` (ALL) or the text alone in ``text`` (TEXT).
    record: NodeRecord | None = None
    loaded: NodeContent = NodeContent.NONE
    text: str | None = None


@dataclass(frozen=True)
class CausalTraversal(DepthAnswer):
    origin: str
    nodes: list[ReachedNode]
    limit: DepthLimit
    truncated: bool
    # Reached nodes that are not run nodes: runs, tasks, activities, agents (lineage crosses).
    others: list[ReachedNode] = field(default_factory=list)
    # Nodes not reached lie beyond the depth searched; None: not looked for (the caller did not
    # ask, ``traverse(find_beyond=False)``).
    depth_limited: bool | None = False
    # Paged: more nodes follow this page.
    has_next: bool = False
    # The edges as stored, (effect, relationship type, cause): ``edges`` turns them into the
    # client's orientation when first asked (an answer that selects no edges makes none).
    stored_edges: list[tuple[str, str, str]] = field(default_factory=list)

    @cached_property
    def edges(self) -> list[RunEdge]:
        return [RunEdge.from_stored(*e) for e in self.stored_edges]

    def oriented_edges(self) -> list[tuple[EdgeKind, str, str]]:
        """``edges`` as (kind, source, target), without making a record of each."""
        return all_oriented(self.stored_edges)


@dataclass(frozen=True)
class Path:
    node_ids: list[str]
    edges: list[RunEdge]


@dataclass(frozen=True)
class Lineage(DepthAnswer):
    from_id: str
    to_id: str
    # "downstream": from_id is a cause of to_id; "upstream": from_id is an effect of to_id.
    direction: str | None
    paths: list[Path]
    limit: DepthLimit
    truncated: bool
    # The search stopped at the depth with causes left unexplored: longer paths may exist.
    # None: not looked for (``lineage(find_beyond=False)``).
    depth_limited: bool | None = False


@dataclass(frozen=True)
class Subgraph:
    run: RunRecord
    step: int | None
    nodes: list[NodeRecord]
    edges: list[RunEdge]
    truncated: bool


@dataclass(frozen=True)
class NodeMismatch:
    node_id: str
    stored_hash: str | None
    recomputed_hash: str
    reason: str


@dataclass(frozen=True)
class Verification:
    run: RunRecord
    nodes_checked: int
    edges_checked: int
    mismatches: list[NodeMismatch]
    root_digest: str | None
    recomputed_root_digest: str

    @property
    def root_digest_matches(self) -> bool:
        return self.root_digest == self.recomputed_root_digest

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.root_digest_matches


@dataclass(frozen=True)
class PruneReport:
    cutoff: int
    dry_run: bool
    run_ids: list[str]
    nodes: int
    edges: int


@dataclass
class _Plan:
    """What one batch will write, decided inside its transaction."""

    new_nodes: list[dict[str, Any]] = field(default_factory=list)
    nodes_unchanged: int = 0
    sealed: list[EdgeSpec] = field(default_factory=list)
    late: list[EdgeSpec] = field(default_factory=list)
    edges_unchanged: int = 0


@dataclass
class _Planned:
    """One batch planned inside its transaction, ready to be written alone or with others."""

    batch: Batch
    plan: _Plan
    stored_run: RunRecord | None
    run_changed: bool
    run_row: dict[str, Any]
    node_rows: dict[RunNodeKind, list[dict[str, Any]]]
    edge_rows: dict[RelType, list[dict[str, Any]]]
    new_edges: list[EdgeSpec]


@contextmanager
def _located(index: int | None) -> Iterator[None]:
    """A batch's problem, located by its position in a recordRuns request."""
    if index is None:
        yield
        return
    try:
        yield
    except BadUserInput as exc:
        raise BadUserInput(
            f"input[{index}]: {exc.message}", **exc.extensions, batch=index
        ) from None


def _outside(batch: Batch, edges: list[EdgeSpec]) -> list[str]:
    """The edge ends that are not nodes of the batch (stored nodes, or unknown ids)."""
    ids = {n.id for n in batch.nodes}
    return sorted({end for e in edges for end in (e.source, e.target)} - ids)


def _probe(batch: Batch, edges: list[EdgeSpec]) -> list[str]:
    """What an optimistic write looks up: the run, the batch's first node, the outside ends."""
    return [batch.run.id, *(n.id for n in batch.nodes[:1]), *_outside(batch, edges)]


@dataclass(frozen=True)
class _Probed:
    """A batch's optimistic lookup, made for several batches at once: the stored nodes among
    its probe ids, and its run as stored (None: not stored)."""

    nodes: dict[str, ExistingNode]
    run: RunRecord | None


def _self_contained(batch: Batch, edges: list[EdgeSpec]) -> bool:
    """Whether every edge's effect is a node of the batch (no edge from a stored node)."""
    ids = {n.id for n in batch.nodes}
    return all(e.effect in ids for e in edges)


def _where(edge: EdgeSpec) -> dict[str, Any]:
    return {"item": "edge", "index": edge.index, "id": f"{edge.source}->{edge.target}"[:200]}


class RunService:
    def __init__(
        self, repository: RunRepository, settings: Settings, events: EventPublisher | None = None
    ) -> None:
        self._repo = repository
        self._settings = settings
        self._events = events
        self._locks_ready: set[str] = set()

    # --- recording ------------------------------------------------------------------------

    async def record(self, tenant: str, batch: Batch) -> RecordResult:
        edges = validate_batch(batch)
        # The tenant lock serialises batches whose edges could close a cycle with the stored
        # graph. An edge whose effect is a node this batch creates cannot (nothing stored
        # points at a new node), so a fresh slice of a run takes no lock: one query less, and
        # concurrent writers of one tenant do not all queue on one node. Edges reaching outside
        # the batch lock up front; a replay, whose nodes turn out to exist, locks on a retry.
        lock = not _self_contained(batch, edges)
        result: RecordResult | None = None
        if not lock:
            # Such a slice is written as if its nodes were all new, looking up only its first
            # (the common case; looking up every id cost a fifth of a batch's engine time). An
            # id already in the tenant fails the write on the (tenant, id) constraint; nothing
            # is kept, and the batch runs again looking up every id.
            try:
                result = await self._record(tenant, batch, edges, lock=False, assume_new=True)
            except Conflict:
                result = None
            except _NeedsLock:  # a replay with a new edge from a stored node
                lock = True
        if result is None:
            try:
                result = await self._record(tenant, batch, edges, lock=lock)
            except _NeedsLock:
                result = await self._record(tenant, batch, edges, lock=True)
        self._announce(tenant, result)
        return result

    def _announce(self, tenant: str, result: RecordResult) -> None:
        """After commit: what the batch created, and a status change (subscriptions)."""
        if self._events is None or not result.changed:
            return
        run_id = result.run.id
        if result.new_node_ids or result.new_edges:
            payload = {"nodes": result.new_node_ids, "edges": result.new_edges}
            self._events.publish(Event(tenant, "run.elements", run_id, payload))
        if result.status_changed:
            status = {"status": result.run.status}
            self._events.publish(Event(tenant, "run.status", run_id, status))

    async def record_many(self, tenant: str, batches: Sequence[Batch]) -> list[RecordResult]:
        """recordRuns: several runs or slices in one transaction, in order, all or nothing.
        A problem is located by the batch's position (``input[i]``); the whole request is
        bounded like one batch."""
        if len(batches) > MAX_BATCHES_PER_REQUEST:
            raise BadUserInput(
                f"at most {MAX_BATCHES_PER_REQUEST} batches per request", field="input"
            )
        for total, limit, what in (
            (sum(len(b.nodes) for b in batches), MAX_NODES_PER_BATCH, "nodes"),
            (sum(len(b.edges) for b in batches), MAX_EDGES_PER_BATCH, "edges"),
        ):
            if total > limit:
                raise BadUserInput(f"at most {limit} {what} per request", field="input")
        checked = []
        for i, batch in enumerate(batches):
            with _located(i):
                checked.append((batch, validate_batch(batch)))
        results = await self._record_checked(tenant, checked, located=True)
        for result in results:
            self._announce(tenant, result)
        return results

    async def record_all(self, tenant: str, batches: Sequence[Batch]) -> list[RecordResult]:
        """Several batches (of one or more runs) in one transaction, in order: all or none.

        A later batch may link to nodes an earlier one creates (a sub-run to its parent run).
        Every batch holds the tenant lock, as cross-run edges may reach stored nodes.
        """
        checked = [(batch, validate_batch(batch)) for batch in batches]
        return await self._record_checked(tenant, checked)

    async def _record_checked(
        self,
        tenant: str,
        checked: list[tuple[Batch, list[EdgeSpec]]],
        *,
        located: bool = False,
    ) -> list[RecordResult]:
        if not checked:
            return []

        # As in record(): a batch whose edges all end at its own nodes is written optimistically;
        # a taken id rolls the whole transaction back and it runs again looking up every id.
        fresh = [_self_contained(b, edges) for b, edges in checked]

        def work(optimistic: bool) -> Callable[[Tx], Awaitable[list[RecordResult]]]:
            async def unit(tx: Tx) -> list[RecordResult]:
                await self._take_lock(tx, tenant)  # once: the transaction holds it to the end
                probes = await self._probe_all(tx, tenant, checked, fresh) if optimistic else {}
                out: list[RecordResult | None] = [None] * len(checked)
                # Batches looked up together (independent of the others) are written together,
                # in one statement; any other batch reads the graph, so what is pending is
                # written before it.
                group: list[tuple[int, _Planned]] = []

                async def flush() -> None:
                    if group:
                        written = await self._write(tx, tenant, [p for _, p in group])
                        for (i, _), result in zip(group, written, strict=True):
                            out[i] = result
                        group.clear()

                for i, ((b, e), f) in enumerate(zip(checked, fresh, strict=True)):
                    probed = probes.get(i)
                    if probed is None:
                        await flush()
                    with _located(i if located else None):
                        planned = await self._plan(
                            tx, tenant, b, e, lock=True, assume_new=optimistic and f, probed=probed
                        )
                        if isinstance(planned, RecordResult):
                            out[i] = planned
                        elif probed is not None and not planned.plan.late:
                            group.append((i, planned))
                        else:
                            await flush()
                            out[i] = (await self._write(tx, tenant, [planned]))[0]
                await flush()
                done = [r for r in out if r is not None]
                assert len(done) == len(out), "every batch was planned and written"
                return done

            return unit

        optimistic = True
        for attempt in (1, 2, 3):
            if tenant not in self._locks_ready:
                await self._ensure_lock(tenant)
            try:
                return await self._repo.executor.write_tx(
                    "runs/record_all", work(optimistic), tenant=tenant
                )
            except Conflict:
                if not optimistic:
                    raise
                optimistic = False
            except _NeedsLock:  # the lock node was gone: made again above
                if attempt == 3:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _record(
        self,
        tenant: str,
        batch: Batch,
        edges: list[EdgeSpec],
        *,
        lock: bool,
        assume_new: bool = False,
    ) -> RecordResult:
        if lock and tenant not in self._locks_ready:
            await self._ensure_lock(tenant)

        async def work(tx: Tx) -> RecordResult:
            if lock:
                await self._take_lock(tx, tenant)
            planned = await self._plan(tx, tenant, batch, edges, lock=lock, assume_new=assume_new)
            if isinstance(planned, RecordResult):
                return planned  # nothing to write
            return (await self._write(tx, tenant, [planned]))[0]

        return await self._repo.executor.write_tx("runs/record", work, tenant=tenant)

    async def _probe_all(
        self,
        tx: Tx,
        tenant: str,
        checked: list[tuple[Batch, list[EdgeSpec]]],
        fresh: list[bool],
    ) -> dict[int, _Probed]:
        """The optimistic lookups of several batches in two queries (their nodes, then their
        stored runs), for each fresh batch none of whose ids an earlier batch of the same
        transaction writes (that one looks after the earlier write, on its own)."""
        written: set[str] = set()
        wanted: dict[int, list[str]] = {}
        for i, ((batch, edges), is_fresh) in enumerate(zip(checked, fresh, strict=True)):
            ids = _probe(batch, edges)
            if is_fresh and written.isdisjoint(ids):
                wanted[i] = ids
            written.add(batch.run.id)
            written.update(n.id for n in batch.nodes)
        if len(wanted) < 2:
            return {}
        all_ids = sorted({x for ids in wanted.values() for x in ids})
        found = {n.id: n for n in await self._repo.find_nodes(tx, tenant, all_ids)}
        run_ids = sorted({checked[i][0].run.id for i in wanted} & set(found))
        if any(found[r].kind != "run" for r in run_ids):
            return {}  # each batch looks up on its own, and the misused id is named
        runs = (
            {r.id: r for r in await self._repo.get_runs_in(tx, tenant, run_ids)} if run_ids else {}
        )
        return {
            i: _Probed(
                {x: found[x] for x in ids if x in found},
                runs.get(checked[i][0].run.id),
            )
            for i, ids in wanted.items()
        }

    async def _take_lock(self, tx: Tx, tenant: str) -> None:
        """Serialise check-then-write per tenant: two batches cannot together close a cycle."""
        if not await self._repo.lock(tx, tenant):
            self._locks_ready.discard(tenant)
            raise _NeedsLock

    async def _ensure_lock(self, tenant: str) -> None:
        await self._repo.ensure_lock(tenant, now_ms())  # tolerates a racing first batch
        self._locks_ready.add(tenant)

    async def _plan(
        self,
        tx: Tx,
        tenant: str,
        batch: Batch,
        edges: list[EdgeSpec],
        *,
        lock: bool,
        assume_new: bool = False,
        probed: _Probed | None = None,
    ) -> _Planned | RecordResult:
        """What one batch writes, decided in ``tx``; a RecordResult when it changes nothing.
        ``assume_new``: of the batch's own nodes only the first is looked up (all are, when it
        is stored); the others are created, and an id already taken fails the transaction as
        ``Conflict`` (nothing is kept). ``probed``: that first lookup, and the stored run, made
        already for several batches at once."""
        run = batch.run
        batch_ids = {n.id for n in batch.nodes}
        own = [n.id for n in batch.nodes]
        if probed is not None:
            existing = dict(probed.nodes)
        else:
            ids = _probe(batch, edges) if assume_new else [run.id, *own, *_outside(batch, edges)]
            existing = {n.id: n for n in await self._repo.find_nodes(tx, tenant, ids)}
        if assume_new and own and own[0] in existing:
            # The first node is stored: most likely a replay. The others are looked up too,
            # here, and the batch is planned as usual.
            assume_new = False
            existing.update((n.id, n) for n in await self._repo.find_nodes(tx, tenant, own[1:]))
        if probed is not None and probed.run is not None:
            stored_run: RunRecord | None = probed.run
        else:
            stored_run = await self._stored_run(tx, tenant, run.id, existing.get(run.id))
        now = now_ms()
        plan = _Plan()
        content_hashes: dict[str, str] = {}
        for node in batch.nodes:
            digest = content_hash(node.content(run.id))
            known = existing.get(node.id)
            if known is None:
                content_hashes[node.id] = digest
                props = node.stored_properties(run.id, now, digest)
                plan.new_nodes.append({"id": node.id, "kind": node.kind, "props": props})
            elif known.kind != node.kind.value or known.run_id != run.id:
                raise BadUserInput(
                    f"nodes[{node.index}]: id {node.id!r} is already used by a "
                    f"{known.kind} node" + (f" of run {known.run_id!r}" if known.run_id else ""),
                    item="node",
                    index=node.index,
                    id=node.id,
                )
            elif known.content_hash != digest:
                raise BadUserInput(
                    f"nodes[{node.index}]: id {node.id!r} was recorded with different content "
                    "(recorded nodes are append-only: record a new node that supersedes it)",
                    item="node",
                    index=node.index,
                    id=node.id,
                )
            else:
                plan.nodes_unchanged += 1
        new_ids = set(content_hashes)
        for edge in edges:
            self._check_edge(edge, run.id, batch_ids, existing)
            (plan.sealed if edge.effect in new_ids else plan.late).append(edge)
        if plan.late:
            # Edges from stored nodes: those already stored change nothing (a replay) and need
            # no lock; any other could close a cycle with the stored graph.
            stored = await self._repo.find_edges(
                tx,
                tenant,
                [
                    {"effect": e.effect, "type": e.rel_type.value, "cause": e.cause}
                    for e in plan.late
                ],
            )
            known_edges = {(s.effect, s.type, s.cause) for s in stored}
            still_new = [
                e for e in plan.late if (e.effect, e.rel_type.value, e.cause) not in known_edges
            ]
            if still_new and not lock:
                # Nothing written yet: roll back and run again holding the lock.
                raise _NeedsLock
            plan.edges_unchanged = len(plan.late) - len(still_new)
            plan.late = still_new

        hashes = self._chain(plan, content_hashes, existing)
        run_changed = stored_run is None or self._run_differs(batch, stored_run)
        new_edges = [*plan.sealed, *plan.late]
        if not plan.new_nodes and not new_edges and not run_changed:
            assert stored_run is not None
            return RecordResult(stored_run, 0, plan.nodes_unchanged, 0, plan.edges_unchanged, False)

        terms = digest_terms(
            hashes.values(), [(e.effect, e.rel_type.value, e.cause) for e in new_edges]
        )
        root_digest = add_digest(stored_run.root_digest if stored_run else None, terms)
        new_ids = {row["id"] for row in plan.new_nodes}
        sums = aggregate(n for n in batch.nodes if n.id in new_ids)
        run_row = {
            "id": run.id,
            "now": now,
            "agent_id": run.agent_id,
            "status": run.status.value if run.status else None,
            "started_at": run.started_at,
            "ended_at": run.ended_at,
            "metadata": run.metadata,
            "meta_kv": metadata_terms(run.metadata),
            "session_id": run.session_id,
            "root_digest": root_digest,
            "nodes": len(plan.new_nodes),
            "edges": len(new_edges),
            "tool_names": sums.tool_names,
            "errors": sums.errors,
            "tokens": sums.tokens,
            "cost": sums.cost,
            "latency": sums.latency,
        }
        return _Planned(
            batch,
            plan,
            stored_run,
            run_changed,
            run_row,
            self._node_rows(plan, hashes),
            self._edge_rows(plan, now),
            new_edges,
        )

    async def _write(self, tx: Tx, tenant: str, planned: list[_Planned]) -> list[RecordResult]:
        """Write planned batches of distinct runs in one statement; then check each batch's
        edges from stored nodes for cycles (raising rolls the transaction back)."""
        if len(planned) == 1:
            node_rows, edge_rows = planned[0].node_rows, planned[0].edge_rows
        else:
            node_rows, edge_rows = defaultdict(list), defaultdict(list)
            for p in planned:
                for kind, rows in p.node_rows.items():
                    node_rows[kind].extend(rows)
                for rel, rows in p.edge_rows.items():
                    edge_rows[rel].extend(rows)
        written = await self._repo.write_batch(
            tx, [p.run_row for p in planned], node_rows, edge_rows
        )
        nodes = sum(len(p.plan.new_nodes) for p in planned)
        edges = sum(len(p.new_edges) for p in planned)
        if (written.nodes_created, written.edges_created) != (nodes, edges):  # pragma: no cover
            # Cannot happen: the ends were checked in this transaction.
            raise RuntimeError(
                f"created {written.nodes_created} of {nodes} nodes and "
                f"{written.edges_created} of {edges} edges"
            )
        results = []
        for p in planned:
            if p.plan.late:
                # After the writes, inside the transaction: does a new edge's cause already
                # reach its effect? Then it closes a cycle; raising rolls the batch back.
                rows = [
                    {"index": e.index, "effect": e.effect, "cause": e.cause} for e in p.plan.late
                ]
                cycles = await self._repo.find_cycles(tx, tenant, rows)
                if cycles:
                    bad = next(e for e in p.plan.late if e.index == cycles[0])
                    raise BadUserInput(
                        f"edges[{bad.index}] ({bad.source} -{bad.kind.value}-> {bad.target}) "
                        "would close a cycle with edges already in the graph",
                        **_where(bad),
                    )
            final = written.runs[p.batch.run.id]
            results.append(
                RecordResult(
                    final,
                    len(p.plan.new_nodes),
                    p.plan.nodes_unchanged,
                    len(p.new_edges),
                    p.plan.edges_unchanged,
                    p.run_changed,
                    new_node_ids=tuple(n["id"] for n in p.plan.new_nodes),
                    new_edges=tuple((e.source, e.kind.value, e.target) for e in p.new_edges),
                    status_changed=p.stored_run is None or p.stored_run.status != final.status,
                )
            )
        return results

    async def _stored_run(
        self, tx: Tx, tenant: str, run_id: str, known: ExistingNode | None
    ) -> RunRecord | None:
        if known is None:
            return None
        if known.kind != "run":
            raise BadUserInput(
                f"run.id {run_id!r} is already used by a {known.kind} node", field="run.id"
            )
        found = await self._repo.get_runs_in(tx, tenant, [run_id])
        return found[0] if found else None

    @staticmethod
    def _check_edge(
        edge: EdgeSpec, run_id: str, batch_ids: set[str], existing: dict[str, ExistingNode]
    ) -> None:
        for end in (edge.source, edge.target):
            if end in batch_ids:
                continue
            known = existing.get(end)
            if known is None:
                raise BadUserInput(
                    f"edges[{edge.index}]: {end!r} exists neither in the batch nor in the graph",
                    **_where(edge),
                )
            if known.kind not in RUN_NODE_KINDS:
                raise BadUserInput(
                    f"edges[{edge.index}]: {end!r} is a {known.kind} node, not a run node",
                    **_where(edge),
                )
        if edge.effect not in batch_ids and existing[edge.effect].run_id != run_id:
            raise BadUserInput(
                f"edges[{edge.index}]: its effect {edge.effect!r} belongs to another run "
                "(record an edge with the run that holds its effect)",
                **_where(edge),
            )

    @staticmethod
    def _chain(
        plan: _Plan, content_hashes: dict[str, str], existing: dict[str, ExistingNode]
    ) -> dict[str, str]:
        """Chained hashes of the new nodes, causes first (sealed edges only)."""
        causes: dict[str, list[str]] = defaultdict(list)
        for e in plan.sealed:
            causes[e.effect].append(e.cause)
        hashes: dict[str, str] = {}
        for nid in topological(list(content_hashes), causes):
            cause_hashes = [
                hashes[c] if c in hashes else (existing[c].hash or "") for c in causes[nid]
            ]
            hashes[nid] = chained_hash(content_hashes[nid], cause_hashes)
        return hashes

    @staticmethod
    def _run_differs(batch: Batch, stored: RunRecord) -> bool:
        run = batch.run
        given: dict[str, Any] = {
            "agent_id": run.agent_id,
            "status": run.status.value if run.status else None,
            "started_at": run.started_at,
            "ended_at": run.ended_at,
            "metadata": run.metadata,
            "session_id": run.session_id,
        }
        return any(v is not None and getattr(stored, k) != v for k, v in given.items())

    @staticmethod
    def _node_rows(plan: _Plan, hashes: dict[str, str]) -> dict[RunNodeKind, list[dict[str, Any]]]:
        by_kind: dict[RunNodeKind, list[dict[str, Any]]] = defaultdict(list)
        for row in plan.new_nodes:
            props = {k: v for k, v in row["props"].items() if v is not None}
            props["hash"] = hashes[row["id"]]
            by_kind[row["kind"]].append({"id": row["id"], "props": props})
        return by_kind

    @staticmethod
    def _edge_rows(plan: _Plan, now: int) -> dict[RelType, list[dict[str, Any]]]:
        by_type: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        for sealed, group in ((True, plan.sealed), (False, plan.late)):
            for e in group:
                by_type[e.rel_type].append(
                    {"effect": e.effect, "cause": e.cause, "sealed": sealed, "created_at": now}
                )
        return by_type

    # --- reading --------------------------------------------------------------------------

    async def get_run(self, tenant: str, run_id: str) -> RunRecord | None:
        found = await self._repo.get_runs(tenant, [run_id])
        return found[0] if found else None

    async def require_run(self, tenant: str, run_id: str) -> RunRecord:
        run = await self.get_run(tenant, run_id)
        if run is None:
            raise NotFound(f"no run {run_id!r}", id=run_id)
        return run

    async def get_runs(self, tenant: str, ids: Sequence[str]) -> list[RunRecord]:
        return await self._repo.get_runs(tenant, ids)

    async def list_runs(
        self, tenant: str, filters: RunFilter, order: RunOrder, page: PageRequest
    ) -> Slice[RunRecord]:
        """One page of the tenant's runs that pass ``filters``, in ``order`` (keyset over
        (start time or record time, id)), with how many pass in all."""
        after = page.key(int, str)
        clean = filters.checked()
        return await self._repo.list_runs(
            tenant,
            clean.params(),
            descending=order is RunOrder.STARTED_AT_DESC,
            after=(after[0], after[1]) if after else None,
            limit=page.size + 1,
        )

    async def get_sessions(self, tenant: str, ids: Sequence[str]) -> list[SessionRecord]:
        return await self._repo.get_sessions(tenant, ids)

    async def list_sessions(
        self, tenant: str, filters: SessionFilter, page: PageRequest
    ) -> Slice[SessionRecord]:
        """One page of the tenant's sessions, latest activity first, with how many match."""
        after = page.key(int, str)
        return await self._repo.list_sessions(
            tenant,
            filters.checked().params(),
            (after[0], after[1]) if after else None,
            page.size + 1,
        )

    async def session_run_pages(
        self, tenant: str, ids: Sequence[str], page: PageRequest
    ) -> dict[str, Slice[RunRecord]]:
        """One page of each session's runs, in order (start time, then id)."""
        after = page.key(int, str)
        return await self._repo.session_run_pages(
            tenant, ids, (after[0], after[1]) if after else None, page.size + 1
        )

    async def search(
        self,
        tenant: str,
        text: str,
        *,
        kinds: Sequence[SearchKind] | None,
        run_id: str | None,
        session_id: str | None,
        page: PageRequest,
    ) -> tuple[Slice[SearchHit], list[str]]:
        """Ranked, paged hits of ``text`` (and its terms, for snippets). A ``run_id`` or
        ``session_id`` that names nothing is NOT_FOUND."""
        terms = search_terms(text)
        after = page.key(int, str)
        run_ids: list[str] | None = None
        if session_id is not None:
            validate_id(session_id, "session_id")
            run_ids = await self._repo.session_run_ids(tenant, session_id)
            if not run_ids:
                raise NotFound(f"no session {session_id!r}", field="session_id")
        if run_id is not None:
            validate_id(run_id, "run_id")
            if await self.get_run(tenant, run_id) is None:
                raise NotFound(f"no run {run_id!r}", field="run_id")
            run_ids = [run_id] if run_ids is None or run_id in run_ids else []
        wanted = sorted({k.value for k in kinds}) if kinds else sorted(k.value for k in SearchKind)
        found = await self._repo.search(
            tenant,
            terms,
            wanted,
            run_ids,
            (after[0], after[1]) if after else None,
            page.size + 1,
        )
        return found, terms

    async def rollup_runs(self, tenant: str, filters: RunFilter) -> Rollup:
        """Tokens, cost, latency and errors of the runs that pass ``filters`` (an agent, a
        session, a window, ...), in all and per model."""
        return await self._repo.rollup_runs(tenant, filters.checked().params())

    async def rollup_sessions(self, tenant: str, ids: Sequence[str]) -> dict[str, Rollup]:
        return await self._repo.rollup_sessions(tenant, ids)

    async def rollup_nodes(self, tenant: str, ids: Sequence[str]) -> Rollup:
        """What these run nodes (a traversal answer) cost: one engine round trip."""
        return await self._repo.rollup_nodes(tenant, ids)

    async def link_run(self, tenant: str, kind: EdgeKind, run_id: str, target: str) -> bool:
        """Links a run to a node of the tenant (``RUN_LINK_TARGETS``); True when created,
        False when it was there. NOT_FOUND for a missing end, BAD_USER_INPUT for a target of
        the wrong kind, a run linked to itself or to its own node, or a link closing a cycle."""
        if kind not in RUN_LINK_TARGETS:
            raise BadUserInput(f"{kind.value} does not link runs", field="kind")
        validate_id(run_id, "run_id")
        validate_id(target, "target")
        if run_id == target:
            raise BadUserInput("a run cannot be linked to itself", field="target")
        lock = kind in RUN_TO_RUN
        if lock and tenant not in self._locks_ready:
            await self._ensure_lock(tenant)

        async def work(tx: Tx) -> bool:
            if lock and not await self._repo.lock(tx, tenant):
                raise _NeedsLock
            found = {n.id: n for n in await self._repo.find_nodes(tx, tenant, [run_id, target])}
            run, end = found.get(run_id), found.get(target)
            if run is None or run.kind != "run":
                raise NotFound(f"no run {run_id!r}", field="run_id")
            if end is None:
                raise NotFound(f"no node {target!r}", field="target")
            if end.kind not in RUN_LINK_TARGETS[kind]:
                allowed = ", ".join(sorted(RUN_LINK_TARGETS[kind]))
                raise BadUserInput(
                    f"{kind.value} needs a target of kind {allowed}; {target!r} is a {end.kind}",
                    field="target",
                )
            if end.run_id == run_id:
                raise BadUserInput("a run cannot be linked to its own node", field="target")
            rel = kind.spec.rel_type
            if await self._repo.run_link_exists(tx, tenant, run_id, rel, target):
                return False
            if lock and await self._repo.find_cycles(
                tx, tenant, [{"index": 0, "effect": run_id, "cause": target}]
            ):
                raise BadUserInput(
                    f"{target!r} already depends on run {run_id!r}: the link would close a cycle",
                    field="target",
                )
            return await self._repo.link_run(tx, tenant, kind, run_id, target, now_ms())

        try:
            return await self._repo.executor.write_tx("runs/link", work, tenant=tenant)
        except _NeedsLock:
            self._locks_ready.discard(tenant)
            await self._ensure_lock(tenant)
            return await self._repo.executor.write_tx("runs/link", work, tenant=tenant)

    async def unlink_run(self, tenant: str, kind: EdgeKind, run_id: str, target: str) -> bool:
        """Removes a run's link; a missing link is a no-op (False)."""
        if kind not in RUN_LINK_TARGETS:
            raise BadUserInput(f"{kind.value} does not link runs", field="kind")
        validate_id(run_id, "run_id")
        validate_id(target, "target")
        return await self._repo.unlink_run(tenant, run_id, kind.spec.rel_type, target)

    async def set_run_label(self, tenant: str, run_id: str, label: str, *, add: bool) -> RunRecord:
        """Adds (or removes) a label; idempotent. NOT_FOUND when there is no such run."""
        validate_id(run_id, "run_id")
        found = await self._repo.set_run_label(tenant, run_id, check_run_label(label), add=add)
        if found is None:
            raise NotFound(f"no run {run_id!r}", field="run_id")
        return found

    async def get_nodes(self, tenant: str, ids: Sequence[str]) -> list[NodeRecord]:
        return await self._repo.get_nodes(tenant, ids)

    async def runs_in_id_order(
        self, tenant: str, *, session_id: str | None = None, after: str | None = None, limit: int
    ) -> list[RunRecord]:
        """Up to ``limit`` runs in id order after ``after``: the tenant's, or one session's."""
        return await self._repo.runs_in_id_order(tenant, session_id, after, limit)

    async def edge_pages(
        self, tenant: str, keys: Sequence[tuple[str, bool]], page: PageRequest
    ) -> dict[tuple[str, bool], Slice[RunEdge]]:
        """One page of each ``(node id, outgoing)``'s provenance edges, in the client's
        orientation, ordered by kind, source, target (``edge_sort_key``); missing nodes are
        left out."""
        types = [t.value for t in CAUSAL_REL_TYPES]
        found = await self._repo.node_edge_pages(
            tenant, keys, types, page.edge_key(), page.size + 1
        )
        return {
            key: Slice([RunEdge(*e) for e in got.rows], got.total) for key, got in found.items()
        }

    async def node_pages(
        self,
        tenant: str,
        run_ids: Sequence[str],
        *,
        step: int | None,
        kinds: Sequence[RunNodeKind],
        page: PageRequest,
    ) -> dict[str, Slice[NodeRecord]]:
        """One page (``size + 1`` rows) of each run's nodes, ordered by (step, id), with the
        count of all its nodes that pass the filters."""
        after = page.key(int, str)
        return await self._repo.run_node_pages(
            tenant,
            run_ids,
            step=step,
            kinds=[k.value for k in kinds],
            after=(after[0], after[1]) if after else None,
            limit=page.size + 1,
        )

    async def step_pages(
        self, tenant: str, run_ids: Sequence[str], page: PageRequest
    ) -> dict[str, Slice[tuple[int, int]]]:
        """One page of each run's ``(step, node count)`` in step order."""
        after = page.key(int)
        return await self._repo.step_pages(
            tenant, run_ids, after[0] if after else None, page.size + 1
        )

    async def subgraph(
        self, tenant: str, run_id: str, step: int | None, as_of: int | None = None
    ) -> Subgraph:
        """A run's (or one step's) nodes and edges; with ``as_of`` only what was recorded by
        then (NOT_FOUND when the run itself was not)."""
        if step is not None and not 0 <= step <= MAX_STEP:
            raise BadUserInput(f"step must be 0..{MAX_STEP}", field="step")
        run = await self.require_run(tenant, run_id)
        if as_of is not None and (run.created_at or 0) > as_of:
            raise NotFound(f"run {run_id!r} was recorded after asOf", id=run_id)
        cap = self._settings.max_result_nodes
        nodes = await self._repo.list_run_nodes(
            tenant, run_id, step=step, kinds=[], after=None, limit=cap + 1
        )
        truncated = len(nodes) > cap
        nodes = nodes[:cap]
        types = [t.value for t in RUN_REL_TYPES]
        edge_cap = cap * 4
        if step is None:
            stored = await self._repo.run_edges(tenant, run_id, types, edge_cap + 1)
        else:
            stored = await self._repo.step_edges(tenant, run_id, step, types, edge_cap + 1)
        truncated = truncated or len(stored) > edge_cap
        stored = stored[:edge_cap]
        if as_of is not None:
            nodes = [n for n in nodes if (n.created_at or 0) <= as_of]
            stored = [e for e in stored if (e.created_at or 0) <= as_of]
        have = {n.id for n in nodes}
        if step is not None:
            others = sorted({i for s in stored for i in (s.effect, s.cause)} - have)
            if others:
                more = await self._repo.get_nodes(tenant, others)
                nodes.extend(n for n in more if as_of is None or (n.created_at or 0) <= as_of)
                have = {n.id for n in nodes}
        edges = [
            RunEdge.from_stored(s.effect, s.type, s.cause)
            for s in stored
            if s.effect in have and s.cause in have
        ]
        return Subgraph(run, step, nodes, edges, truncated)

    def _clamp(self, depth: int | None, field: str, *, default: int | None = None) -> DepthLimit:
        maximum = self._settings.max_traversal_depth
        return clamp_depth(
            depth,
            default=maximum if default is None else default,
            maximum=maximum,
            field=field,
        )

    @staticmethod
    def _types(edge_kinds: Sequence[EdgeKind] | None) -> list[str]:
        if not edge_kinds:
            return [t.value for t in CAUSAL_REL_TYPES]
        return sorted({k.spec.rel_type.value for k in edge_kinds})

    async def traverse(
        self,
        tenant: str,
        node_id: str,
        *,
        ancestors: bool,
        depth: int | None,
        edge_kinds: Sequence[EdgeKind] | None = None,
        node_kinds: Sequence[RunNodeKind] | None = None,
        page: PageRequest | None = None,
        as_of: int | None = None,
        content: NodeContent = NodeContent.NONE,
        find_beyond: bool = True,
    ) -> CausalTraversal:
        """Without ``page``: one answer of at most ``max_result_nodes`` nodes (``truncated``
        when more matched). With it: the page of ``page.size`` nodes after its (distance, id)
        cursor, and ``has_next``; a client fetches the whole answer page by page. ``content``:
        the run nodes' properties to read with the levels (``ReachedNode.record``, or ``.text``
        alone; not with ``as_of``, whose answers leave content to a later fetch).
        ``find_beyond``: find out whether nodes lie beyond the depth (``depth_limited``), which
        reads one more level; False leaves ``depth_limited`` None."""
        if as_of is not None:
            content = NodeContent.NONE
        limit = self._clamp(depth, "depth", default=DEFAULT_DEPTH)
        used = limit.used
        cap = self._settings.max_result_nodes if page is None else page.size
        after = page.key(int, str) if page is not None else None
        rows, beyond, walked = await self._repo.traverse(
            tenant,
            node_id,
            ancestors=ancestors,
            depth=used,
            types=self._types(edge_kinds),
            kinds=[k.value for k in node_kinds or ()],
            limit=cap + 1,
            after=(after[0], after[1]) if after else None,
            as_of=as_of,
            content=content,
            probe_beyond=find_beyond,
        )
        if as_of is not None or (not rows and not walked):
            await self._require_known(tenant, [node_id], as_of)
        more = len(rows) > cap
        rows = rows[:cap]
        # Paged: the edges into this page's nodes from any node walked (each edge is in the
        # page of its farther end). Unpaged: the edges between the nodes returned.
        have = (walked if page is not None else {r.id for r in rows}) | {node_id}
        nodes: list[ReachedNode] = []
        others: list[ReachedNode] = []
        with_record = content is NodeContent.ALL
        with_text = content is NodeContent.TEXT
        for r in rows:
            row = r.row
            kind = row.get("kind") or ""
            if kind in RUN_NODE_KINDS:
                nodes.append(
                    ReachedNode(
                        r.id,
                        kind,
                        row["step"],
                        row["run_id"],
                        r.distance,
                        NodeRecord.from_row(row) if with_record else None,
                        content,
                        row.get("text") if with_text else None,
                    )
                )
            else:
                others.append(ReachedNode(r.id, kind, None, None, r.distance))
        stored: list[tuple[str, str, str]] = []
        add = stored.append
        for r in rows:
            reached = r.id
            for rel_type, other in r.via:
                if other in have:
                    # Ancestors: other -> reached (other is the effect, one hop nearer the
                    # origin); descendants: reached -> other.
                    add((other, rel_type, reached) if ancestors else (reached, rel_type, other))
        return CausalTraversal(
            node_id,
            nodes,
            limit,
            more and page is None,
            others,
            beyond if find_beyond else None,
            has_next=more and page is not None,
            stored_edges=stored,
        )

    async def _require_known(self, tenant: str, ids: Sequence[str], as_of: int | None) -> None:
        """NOT_FOUND for the first id that is no node of the tenant (or, ``as_of``, was not
        recorded yet at that time)."""
        found = {n.id: n for n in await self._repo.find_any_nodes(tenant, list(ids))}
        for nid in ids:
            known = found.get(nid)
            if known is None:
                raise NotFound(f"no node {nid!r}", id=nid)
            if as_of is not None and (known.created_at or 0) > as_of:
                raise NotFound(f"node {nid!r} was recorded after asOf", id=nid)

    async def lineage(
        self,
        tenant: str,
        from_id: str,
        to_id: str,
        max_depth: int | None,
        edge_kinds: Sequence[EdgeKind] | None = None,
        as_of: int | None = None,
        find_beyond: bool = True,
    ) -> Lineage:
        """``find_beyond``: find out whether causes go on beyond the depth searched
        (``depth_limited``), one more level read per direction; False leaves it None."""
        # Lineage searches as deep as allowed unless asked otherwise: a shallow default would
        # answer "no path" where a longer one exists.
        limit = self._clamp(max_depth, "max_depth")
        used = limit.used
        await self._require_known(tenant, [from_id, to_id], as_of)
        types = self._types(edge_kinds)
        most = MAX_LINEAGE_PATHS + 1
        # Downstream first: from_id influenced to_id (stored to_id -> ... -> from_id).
        direction = "downstream"
        raw, beyond = await self._repo.lineage(
            tenant,
            to_id,
            from_id,
            depth=used,
            types=types,
            limit=most,
            as_of=as_of,
            probe_beyond=find_beyond,
        )
        if not raw:
            direction = "upstream"
            raw, beyond_up = await self._repo.lineage(
                tenant,
                from_id,
                to_id,
                depth=used,
                types=types,
                limit=most,
                as_of=as_of,
                probe_beyond=find_beyond,
            )
            beyond = beyond or beyond_up
        truncated = len(raw) > MAX_LINEAGE_PATHS
        paths: list[Path] = []
        for ids, rels in raw[:MAX_LINEAGE_PATHS]:
            stored = [(ids[i], rels[i], ids[i + 1]) for i in range(len(rels))]
            if direction == "downstream":  # stored to_id -> ... -> from_id: present from_id first
                ids = list(reversed(ids))
                stored = list(reversed(stored))
            paths.append(Path(ids, [RunEdge.from_stored(*s) for s in stored]))
        paths.sort(key=lambda p: (len(p.node_ids), p.node_ids))
        return Lineage(
            from_id,
            to_id,
            direction if paths else None,
            paths,
            limit,
            truncated,
            beyond if find_beyond else None,
        )

    async def diff(
        self, tenant: str, run_id: str, other_run_id: str, as_of: int | None = None
    ) -> RunDiff:
        """Two runs compared step by step; with ``as_of`` as they were recorded by then."""
        runs = {r.id: r for r in await self._repo.get_runs(tenant, [run_id, other_run_id])}
        for rid in (run_id, other_run_id):
            if rid not in runs or (as_of is not None and (runs[rid].created_at or 0) > as_of):
                raise NotFound(f"no run {rid!r}" + (" as of then" if rid in runs else ""), id=rid)
        sides = []
        for rid in (run_id, other_run_id):
            nodes = await self._repo.list_run_nodes(
                tenant, rid, step=None, kinds=[], after=None, limit=MAX_DIFF_NODES + 1
            )
            if len(nodes) > MAX_DIFF_NODES:
                raise BadUserInput(
                    f"run {rid!r} has more than {MAX_DIFF_NODES} nodes; too large to diff",
                    id=rid,
                )
            if as_of is not None:
                nodes = [n for n in nodes if (n.created_at or 0) <= as_of]
            sides.append(nodes)
        return diff_runs(runs[run_id], runs[other_run_id], sides[0], sides[1])

    async def verify(self, tenant: str, run_id: str) -> Verification:
        run = await self.require_run(tenant, run_id)
        nodes: list[NodeRecord] = []
        after: tuple[int, str] | None = None
        while True:
            page = await self._repo.list_run_nodes(
                tenant, run_id, step=None, kinds=[], after=after, limit=10_000
            )
            nodes.extend(page)
            if len(page) < 10_000:
                break
            after = (page[-1].step, page[-1].id)
        out_edges = await self._repo.run_out_edges(tenant, run_id, [t.value for t in RUN_REL_TYPES])
        sealed_causes: dict[str, list[str]] = defaultdict(list)
        for e in out_edges:
            if e.sealed:
                sealed_causes[e.effect].append(e.cause_hash or "")
        mismatches: list[NodeMismatch] = []
        recomputed: list[str] = []
        for node in nodes:
            own = content_hash(node.content())
            chained = chained_hash(own, sealed_causes.get(node.id, []))
            recomputed.append(chained)
            if own != node.content_hash:
                reason = "content changed"
            elif chained != node.hash:
                reason = "hash or causes changed"
            else:
                continue
            mismatches.append(NodeMismatch(node.id, node.hash, chained, reason))
        terms = digest_terms(recomputed, [(e.effect, e.type, e.cause) for e in out_edges])
        return Verification(
            run,
            len(nodes),
            len(out_edges),
            mismatches,
            run.root_digest,
            add_digest(None, terms),
        )

    async def prune(self, tenant: str, cutoff: int, dry_run: bool) -> PruneReport:
        run_ids, nodes, edges = await self._repo.prune(tenant, cutoff, delete=not dry_run)
        return PruneReport(cutoff, dry_run, run_ids, nodes, edges)
