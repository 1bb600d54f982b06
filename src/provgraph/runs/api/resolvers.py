"""Run-graph Query and Mutation fields: thin, each one service call."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from provgraph.core.api.context import Info
from provgraph.core.api.permissions import CanWrite
from provgraph.core.api.relay import (
    Connection,
    First,
    decode_cursor,
    page_request,
    page_size,
    slice_connection,
)
from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.ids import validate_id
from provgraph.core.domain.paging import PageRequest
from provgraph.core.domain.timefmt import parse_iso, to_iso
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.api.inputs import RecordRunInput, RunFilterInput, SessionFilterInput
from provgraph.runs.api.loaders import loaders
from provgraph.runs.api.types import (
    Lineage,
    PruneRunsPayload,
    RecordRunPayload,
    Run,
    RunDiff,
    RunLinkPayload,
    RunNode,
    RunRollup,
    RunSubgraph,
    RunUnlinkPayload,
    RunVerification,
    SearchHit,
    Session,
    Traversal,
)
from provgraph.runs.find import RunOrder, SearchKind
from provgraph.runs.links import RunLinkKind
from provgraph.runs.records import NodeContent
from provgraph.runs.rules import Batch, RunNodeKind
from provgraph.runs.service import DEFAULT_DEPTH, RecordResult, RunService

TRAVERSAL_CUTS = (
    "A missing start node is NOT_FOUND. Every cut is flagged: `depthLimited` (nodes lie beyond "
    "the depth searched), `depthClamped` (depth over PROVGRAPH_MAX_TRAVERSAL_DEPTH), "
    "`truncated` (node cap PROVGRAPH_MAX_RESULT_NODES)."
)
DEPTH_ARG = strawberry.argument(
    description=f"Hops from the start node (default {DEFAULT_DEPTH}); over "
    "PROVGRAPH_MAX_TRAVERSAL_DEPTH (10 unless configured) it is clamped (`depthClamped`)."
)
EDGE_KINDS_ARG = strawberry.argument(
    description="Follow only these edge kinds. Null (the default): every provenance kind, "
    "into tasks, activities and agents too."
)
NODE_KINDS_ARG = strawberry.argument(
    description="Return only run nodes of these kinds (others are still walked through). "
    "Null (the default): every kind."
)


AS_OF_ARG = strawberry.argument(
    description="Answer as of this ISO-8601 time: only the nodes and edges recorded by then "
    "(the graph is append-only). Null (the default): now."
)
AsOf = Annotated[str | None, AS_OF_ARG]


def _as_of(value: str | None) -> int | None:
    return parse_iso(value, "asOf")


# RunNode's content fields (GraphQL names): what a traversal's level queries can bring.
_CONTENT_FIELDS = frozenset(
    {
        "text",
        "json",
        "createdAt",
        "tokens",
        "cost",
        "latencyMs",
        "toolName",
        "arguments",
        "toolStatus",
        "error",
        "hash",
        "contentHash",
    }
)
Selections = list[SelectedField | FragmentSpread | InlineFragment]


def _flat(selections: Selections) -> list[SelectedField]:
    """The fields of a selection set, through fragments."""
    out: list[SelectedField] = []
    for s in selections:
        if isinstance(s, SelectedField):
            out.append(s)
        else:
            out.extend(_flat(s.selections))
    return out


def traversal_content(info: Info) -> NodeContent:
    """The run-node content a traversal's answer selects (``nodes { node { … } }``): read with
    the levels (``TEXT`` when only ``text``), not fetched afterwards node by node."""
    asked: set[str] = set()
    for root in _flat(list(info.selected_fields)):
        for nodes in _flat(root.selections):
            if nodes.name != "nodes":
                continue
            for node in _flat(nodes.selections):
                if node.name == "node":
                    asked.update(f.name for f in _flat(node.selections))
    asked &= _CONTENT_FIELDS
    if not asked:
        return NodeContent.NONE
    return NodeContent.TEXT if asked == {"text"} else NodeContent.ALL


def selects(info: Info, name: str) -> bool:
    """Whether the root field's selection asks its answer for ``name`` (through fragments):
    ``depthLimited`` costs one more level read, made only when it is asked."""
    return any(
        f.name == name for root in _flat(list(info.selected_fields)) for f in _flat(root.selections)
    )


TRAVERSAL_FIRST_ARG = strawberry.argument(
    description="Page the answer: this many nodes, ordered by (distance, id), with "
    "`pageInfo`; at most PROVGRAPH_MAX_RESULT_NODES (5000 unless configured). Null (the "
    "default): one answer of at most that many nodes, `truncated` when more matched."
)
TRAVERSAL_AFTER_ARG = strawberry.argument(
    description="The `pageInfo.endCursor` of the previous page (a (distance, id) key)."
)


def _traversal_page(info: Info, first: int | None, after: str | None) -> PageRequest | None:
    if first is None and after is None:
        return None
    settings = info.context.settings
    size = page_size(first, settings.max_result_nodes, default=settings.max_page_size)
    return PageRequest(size, decode_cursor(after))


async def _traverse(
    info: Info,
    node_id: str,
    depth: int,
    edge_kinds: list[EdgeKind] | None,
    node_kinds: list[RunNodeKind] | None,
    first: int | None,
    after: str | None,
    as_of: str | None,
    *,
    ancestors: bool,
) -> Traversal:
    """What ``ancestors`` and ``descendants`` do, one way or the other."""
    content = traversal_content(info)
    found = await info.context.service(RunService).traverse(
        info.context.tenant,
        node_id,
        page=_traversal_page(info, first, after),
        as_of=_as_of(as_of),
        ancestors=ancestors,
        depth=depth,
        edge_kinds=edge_kinds,
        node_kinds=node_kinds,
        content=content,
        find_beyond=selects(info, "depthLimited"),
    )
    return await Traversal.answer(info, found, content, had_cursor=after is not None)


@strawberry.type
class RunQuery:
    @strawberry.field(
        description="A run node by its own id. Null when not found (single lookups answer "
        "null; questions about a missing start node answer NOT_FOUND)."
    )
    async def run_node(self, info: Info, id: str) -> RunNode | None:
        record = await loaders(info).node.load(id)
        return RunNode.of(record) if record else None

    @strawberry.field(
        description="A run by its own id, with its steps and nodes. Null when not found."
    )
    async def run(self, info: Info, id: str) -> Run | None:
        record = await loaders(info).run.load(id)
        return Run.of(record) if record else None

    @strawberry.field(
        description="The tenant's runs that pass `filter`, newest first unless `orderBy` says "
        "otherwise (by start time, or record time when a run gives none; then id). "
        "`totalCount` counts every run that passes. An inverted time window or a bad filter "
        "value is BAD_USER_INPUT."
    )
    async def runs(
        self,
        info: Info,
        filter: RunFilterInput | None = None,
        order_by: RunOrder = RunOrder.STARTED_AT_DESC,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Run]:
        page = page_request(info, first, after)
        found = await info.context.service(RunService).list_runs(
            info.context.tenant, (filter or RunFilterInput()).to_filter(), order_by, page
        )
        return slice_connection(found, page, to_node=Run.of, key=lambda r: [r.sort_at, r.id])

    @strawberry.field(
        description="Search the tenant's run nodes (text, JSON, tool name, arguments, error) and "
        "runs (metadata, agent) for the words of `text`, case-insensitive; a hit holds at least "
        "one word. Ranked by `score`, then id; `totalCount` counts every hit. `runId` or "
        "`sessionId` narrows it to those runs (NOT_FOUND when they name nothing). A text that "
        "is empty, over 500 characters or over 10 words is BAD_USER_INPUT. Portable (no "
        "full-text index): a tenant-wide search reads every run node of the tenant (README, "
        "Search)."
    )
    async def search(
        self,
        info: Info,
        text: str,
        kinds: Annotated[
            list[SearchKind] | None,
            strawberry.argument(description="Only these kinds. Null (the default): all."),
        ] = None,
        run_id: str | None = None,
        session_id: str | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[SearchHit]:
        page = page_request(info, first, after)
        found, terms = await info.context.service(RunService).search(
            info.context.tenant,
            text,
            kinds=kinds,
            run_id=run_id,
            session_id=session_id,
            page=page,
        )
        return slice_connection(
            found,
            page,
            to_node=lambda h: SearchHit(
                kind=SearchKind(h.kind), node_id=h.id, run_id=h.run_id, score=h.score, _terms=terms
            ),
            key=lambda h: [h.score, h.id],
        )

    @strawberry.field(
        description="Tokens, cost, latency and errors of the runs that pass `filter` (an "
        "agent, a session, a time window, a label, ...; null: every run), in all and per "
        "model (the run metadata's `model`). One engine query."
    )
    async def runs_rollup(self, info: Info, filter: RunFilterInput | None = None) -> RunRollup:
        found = await info.context.service(RunService).rollup_runs(
            info.context.tenant, (filter or RunFilterInput()).to_filter()
        )
        return RunRollup.of(found)

    @strawberry.field(
        description="A session (the runs recorded with that session id) by its id. Null when "
        "no run carries it."
    )
    async def session(self, info: Info, id: str) -> Session | None:
        validate_id(id, "id")
        found = await loaders(info).session.load(id)
        return Session.of(found) if found else None

    @strawberry.field(
        description="The tenant's sessions, latest activity first (the start of their last "
        "run, then id), with `totalCount`. An inverted window is BAD_USER_INPUT."
    )
    async def sessions(
        self,
        info: Info,
        filter: SessionFilterInput | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Session]:
        page = page_request(info, first, after)
        found = await info.context.service(RunService).list_sessions(
            info.context.tenant, (filter or SessionFilterInput()).to_filter(), page
        )
        return slice_connection(found, page, to_node=Session.of, key=lambda x: [x.last_at, x.id])

    @strawberry.field(
        description="All nodes and edges of a run, or of one step (plus that run's cross-step "
        "edges touching the step, with their other endpoints). A missing run is NOT_FOUND."
    )
    async def run_subgraph(
        self, info: Info, run_id: str, step: int | None = None, as_of: AsOf = None
    ) -> RunSubgraph:
        sub = await info.context.service(RunService).subgraph(
            info.context.tenant, run_id, step, _as_of(as_of)
        )
        return RunSubgraph.of(sub)

    @strawberry.field(
        description="Everything that could have influenced a node (its causes), breadth-first "
        "up to `depth` hops. " + TRAVERSAL_CUTS
    )
    async def ancestors(
        self,
        info: Info,
        node_id: str,
        depth: Annotated[int, DEPTH_ARG] = DEFAULT_DEPTH,
        edge_kinds: Annotated[list[EdgeKind] | None, EDGE_KINDS_ARG] = None,
        node_kinds: Annotated[list[RunNodeKind] | None, NODE_KINDS_ARG] = None,
        first: Annotated[int | None, TRAVERSAL_FIRST_ARG] = None,
        after: Annotated[str | None, TRAVERSAL_AFTER_ARG] = None,
        as_of: AsOf = None,
    ) -> Traversal:
        return await _traverse(
            info, node_id, depth, edge_kinds, node_kinds, first, after, as_of, ancestors=True
        )

    @strawberry.field(
        description="Everything a node could have affected (its effects), breadth-first up to "
        "`depth` hops. " + TRAVERSAL_CUTS
    )
    async def descendants(
        self,
        info: Info,
        node_id: str,
        depth: Annotated[int, DEPTH_ARG] = DEFAULT_DEPTH,
        edge_kinds: Annotated[list[EdgeKind] | None, EDGE_KINDS_ARG] = None,
        node_kinds: Annotated[list[RunNodeKind] | None, NODE_KINDS_ARG] = None,
        first: Annotated[int | None, TRAVERSAL_FIRST_ARG] = None,
        after: Annotated[str | None, TRAVERSAL_AFTER_ARG] = None,
        as_of: AsOf = None,
    ) -> Traversal:
        return await _traverse(
            info, node_id, depth, edge_kinds, node_kinds, first, after, as_of, ancestors=False
        )

    @strawberry.field(
        description="The causal paths between two nodes (either direction), searched to the "
        "largest depth allowed unless `maxDepth` says otherwise. A missing fromId or toId is "
        "NOT_FOUND. `depthLimited` says causes went on beyond the depth searched (a longer "
        "path may exist); `truncated` that more than 100 paths matched."
    )
    async def lineage(
        self,
        info: Info,
        from_id: str,
        to_id: str,
        max_depth: Annotated[
            int | None,
            strawberry.argument(
                description="Longest path searched, in edges. Null (the default): "
                "PROVGRAPH_MAX_TRAVERSAL_DEPTH (10 unless configured); larger is clamped "
                "to it (`depthClamped`)."
            ),
        ] = None,
        edge_kinds: Annotated[list[EdgeKind] | None, EDGE_KINDS_ARG] = None,
        as_of: AsOf = None,
    ) -> Lineage:
        found = await info.context.service(RunService).lineage(
            info.context.tenant,
            from_id,
            to_id,
            max_depth,
            edge_kinds,
            as_of=_as_of(as_of),
            find_beyond=selects(info, "depthLimited"),
        )
        return Lineage.of(found)

    @strawberry.field(
        description="Two runs compared step by step; the first divergent step. A missing run "
        "is NOT_FOUND."
    )
    async def run_diff(
        self, info: Info, run_id: str, other_run_id: str, as_of: AsOf = None
    ) -> RunDiff:
        found = await info.context.service(RunService).diff(
            info.context.tenant, run_id, other_run_id, _as_of(as_of)
        )
        return RunDiff.of(found)

    @strawberry.field(
        description="Recompute a run's hashes; names the nodes that do not match. A missing "
        "run is NOT_FOUND."
    )
    async def verify_run(self, info: Info, run_id: str) -> RunVerification:
        found = await info.context.service(RunService).verify(info.context.tenant, run_id)
        return RunVerification.of(found)


@strawberry.type
class RunMutation:
    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Record a run or a slice of it, atomically and idempotently.",
    )
    async def record_run(
        self,
        info: Info,
        # Converted once, from the coerced value, by RecordRunInput's from_input hook.
        input: Annotated[Batch, strawberry.argument(graphql_type=RecordRunInput)],
    ) -> RecordRunPayload:
        result = await info.context.service(RunService).record(info.context.tenant, input)
        return _payload(result)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Record several runs or slices in one transaction, in order: all or "
        "nothing (a later batch may link to nodes an earlier one creates). One payload per "
        "batch, in the same order. At most 1,000 batches, and their nodes and edges together "
        "within one recordRun's limits; a problem names the batch (`input[i]`, extension "
        "`batch`) and writes nothing.",
    )
    async def record_runs(
        self,
        info: Info,
        input: Annotated[list[Batch], strawberry.argument(graphql_type=list[RecordRunInput])],
    ) -> list[RecordRunPayload]:
        results = await info.context.service(RunService).record_many(info.context.tenant, input)
        return [_payload(result) for result in results]

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Link a run to a node of the same tenant: `runId -kind-> target` (see "
        "RunLinkKind), idempotent (`created: false` when there). A missing end is NOT_FOUND; a "
        "target of the wrong kind, a link to the run itself or its own node, or one closing a "
        "cycle is BAD_USER_INPUT. Traversals cross these links.",
    )
    async def link_run(
        self, info: Info, kind: RunLinkKind, run_id: str, target: str
    ) -> RunLinkPayload:
        created = await info.context.service(RunService).link_run(
            info.context.tenant, kind.edge_kind, run_id, target
        )
        return RunLinkPayload(kind=kind, run_id=run_id, target=target, created=created)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Remove a run's link; a missing link is a no-op (`removed: false`).",
    )
    async def unlink_run(
        self, info: Info, kind: RunLinkKind, run_id: str, target: str
    ) -> RunUnlinkPayload:
        removed = await info.context.service(RunService).unlink_run(
            info.context.tenant, kind.edge_kind, run_id, target
        )
        return RunUnlinkPayload(removed=removed)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Add a label to a run (idempotent: adding it again changes nothing). A "
        "missing run is NOT_FOUND.",
    )
    async def add_run_label(self, info: Info, run_id: str, label: str) -> Run:
        found = await info.context.service(RunService).set_run_label(
            info.context.tenant, run_id, label, add=True
        )
        return Run.of(found)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Remove a label from a run (idempotent: a label it lacks is a no-op). A "
        "missing run is NOT_FOUND.",
    )
    async def remove_run_label(self, info: Info, run_id: str, label: str) -> Run:
        found = await info.context.service(RunService).set_run_label(
            info.context.tenant, run_id, label, add=False
        )
        return Run.of(found)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Delete the runs (with their nodes and edges) that started before a cutoff. "
        "dryRun (default true) only counts.",
    )
    async def prune_runs(
        self, info: Info, older_than: str, dry_run: bool = True
    ) -> PruneRunsPayload:
        cutoff = parse_iso(older_than, "olderThan")
        if cutoff is None:  # pragma: no cover - the argument is required
            raise BadUserInput("olderThan is required", field="olderThan")
        report = await info.context.service(RunService).prune(info.context.tenant, cutoff, dry_run)
        return PruneRunsPayload(
            cutoff=to_iso(report.cutoff) or "",
            dry_run=report.dry_run,
            runs=len(report.run_ids),
            run_ids=report.run_ids,
            nodes=report.nodes,
            edges=report.edges,
        )


def _payload(result: RecordResult) -> RecordRunPayload:
    return RecordRunPayload(
        run=Run.of(result.run),
        nodes_created=result.nodes_created,
        nodes_unchanged=result.nodes_unchanged,
        edges_created=result.edges_created,
        edges_unchanged=result.edges_unchanged,
        changed=result.changed,
    )
