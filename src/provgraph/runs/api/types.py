"""GraphQL types of agent runs: runs, their nodes, traversals, lineage, diffs, verification."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay

from provgraph.core.api.context import Info
from provgraph.core.api.relay import (
    Connection,
    First,
    encode_cursor,
    page_request,
    slice_connection,
)
from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.paging import edge_sort_key
from provgraph.core.domain.timefmt import to_iso
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs import diff as run_diff
from provgraph.runs import service as runs
from provgraph.runs.api.loaders import loaders
from provgraph.runs.diff import DiffClass
from provgraph.runs.find import (
    MODEL_PREFIX,
    ModelRollup,
    Rollup,
    SearchKind,
    metadata_terms,
    rollup_of,
    snippet,
)
from provgraph.runs.links import RunLinkKind
from provgraph.runs.records import NodeContent, NodeRecord, RunEdge, RunRecord, SessionRecord
from provgraph.runs.rules import RunNodeKind, RunStatus
from provgraph.tracker.api.loaders import loaders as tracker_loaders
from provgraph.tracker.api.types import AgentInterface, agent_of


class ContentNotRead(RuntimeError):
    """A programming error: a run node's content field asked of a node made without it."""


class DepthNotLookedFor(RuntimeError):
    """A programming error: ``depthLimited`` resolved on an answer made without looking."""


def _looked_for(found: bool | None) -> bool:
    if found is None:
        raise DepthNotLookedFor("depthLimited was not looked for although selected")
    return found


_NODE_KINDS: dict[str, RunNodeKind] = {k.value: k for k in RunNodeKind}

# The domain enums themselves become GraphQL enums (member names upper-cased in GraphQL).
strawberry.enum(RunNodeKind, name="RunNodeKind", description="What a run node records.")
strawberry.enum(RunStatus, name="RunStatus", description="A run's state.")
strawberry.enum(
    EdgeKind, name="EdgeKind", description="Edge kinds as clients name them: source -kind-> target."
)
strawberry.enum(DiffClass, name="DiffClass", description="How two runs differ at a step.")


@strawberry.type(description="An edge in the client's orientation: source -kind-> target.")
class ProvEdge:
    kind: EdgeKind
    source: str
    target: str

    @classmethod
    def of(cls, edge: RunEdge) -> ProvEdge:
        return cls(kind=edge.kind, source=edge.source, target=edge.target)


@strawberry.type(description="One recorded step of an agent run: a decision, tool call, ...")
class RunNode(relay.Node):
    id: relay.NodeID[str]
    kind: RunNodeKind
    step: int
    run_id: str = strawberry.field(description="The id of the run this node belongs to.")
    node_id: str = strawberry.field(
        description="The node's own id, as recorded (not the Relay global ID)."
    )
    # The node's content as read with it; ``_loaded`` says which: all of it in ``_record``, or
    # the text alone in ``_text``. Every run node is made with the content its answer selects
    # (``of``: all of it; a traversal's: what its selection asks, ``traversal_content``), so
    # content fields are plain reads.
    _record: strawberry.Private[NodeRecord | None] = None
    _loaded: strawberry.Private[NodeContent] = NodeContent.NONE
    _text: strawberry.Private[str | None] = None

    @classmethod
    def of(cls, record: NodeRecord) -> RunNode:
        return cls(
            id=record.id,
            kind=RunNodeKind(record.kind),
            step=record.step,
            run_id=record.run_id,
            node_id=record.id,
            _record=record,
            _loaded=NodeContent.ALL,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[RunNode | None]:
        records = await loaders(info).node.load_many(list(node_ids))
        return [cls.of(r) if r is not None else None for r in records]

    def _content(self) -> NodeRecord:
        if self._record is not None and self._loaded is NodeContent.ALL:
            return self._record
        raise ContentNotRead(f"run node {self.id!r} was made without the content selected")

    @strawberry.field(description="Free text content.")
    def text(self) -> str | None:
        if self._loaded is NodeContent.TEXT:
            return self._text
        return self._content().text

    @strawberry.field(description="JSON content, as a string.")
    def json(self) -> str | None:
        return self._content().json_text

    @strawberry.field(description="When it happened (ISO-8601 UTC).")
    def created_at(self) -> str | None:
        return to_iso(self._content().created_at)

    @strawberry.field
    def tokens(self) -> int | None:
        return self._content().tokens

    @strawberry.field
    def cost(self) -> float | None:
        return self._content().cost

    @strawberry.field
    def latency_ms(self) -> int | None:
        return self._content().latency_ms

    @strawberry.field(description="Tool calls: the tool's name.")
    def tool_name(self) -> str | None:
        return self._content().tool_name

    @strawberry.field(description="Tool calls: the arguments as a JSON string.")
    def arguments(self) -> str | None:
        return self._content().arguments

    @strawberry.field(description="Tool calls and results: status, e.g. ok or error.")
    def tool_status(self) -> str | None:
        return self._content().tool_status

    @strawberry.field(description="Tool calls and results: the error, if any.")
    def error(self) -> str | None:
        return self._content().error

    @strawberry.field(description="sha256 over the content and the hashes of its causes.")
    def hash(self) -> str | None:
        return self._content().hash

    @strawberry.field(description="sha256 over the node's own content only.")
    def content_hash(self) -> str | None:
        return self._content().content_hash

    @strawberry.field(
        description="Edges into this node (it is their target), any kind; ordered by kind "
        "(as `EdgeKind` lists them), then source."
    )
    async def incoming(
        self, info: Info, first: First = None, after: str | None = None
    ) -> Connection[ProvEdge]:
        return await self._edges(info, False, first, after)

    @strawberry.field(
        description="Edges out of this node (it is their source), any kind; ordered by kind "
        "(as `EdgeKind` lists them), then target."
    )
    async def outgoing(
        self, info: Info, first: First = None, after: str | None = None
    ) -> Connection[ProvEdge]:
        return await self._edges(info, True, first, after)

    async def _edges(
        self, info: Info, outgoing: bool, first: int | None, after: str | None
    ) -> Connection[ProvEdge]:
        page = page_request(info, first, after)
        found = await loaders(info).edge_pages(page).load((self.id, outgoing))
        return slice_connection(
            found,
            page,
            to_node=ProvEdge.of,
            key=lambda e: edge_sort_key(e.kind, e.source, e.target),
        )

    @strawberry.field(description="The run this node belongs to.")
    async def run(self, info: Info) -> Run | None:
        record = await loaders(info).run.load(self.run_id)
        return Run.of(record) if record else None


@strawberry.type(description="Sums over runs or run nodes, for one model or in all.")
class RollupPart:
    model: str | None = strawberry.field(
        description="The model (the run metadata's `model`); null: in all, or runs naming none."
    )
    runs: int
    nodes: int
    tokens: int
    cost: float
    latency_ms: int = strawberry.field(description="Summed latency of the nodes, in ms.")
    errors: int = strawberry.field(description="Nodes that recorded an error.")

    @classmethod
    def of(cls, m: ModelRollup) -> RollupPart:
        return cls(
            model=m.model,
            runs=m.runs,
            nodes=m.nodes,
            tokens=m.tokens,
            cost=m.cost,
            latency_ms=m.latency_ms,
            errors=m.errors,
        )


@strawberry.type(description="Tokens, cost, latency and errors summed, in all and per model.")
class RunRollup:
    total: RollupPart
    by_model: list[RollupPart]

    @classmethod
    def of(cls, r: Rollup) -> RunRollup:
        return cls(total=RollupPart.of(r.total), by_model=[RollupPart.of(m) for m in r.by_model])


@strawberry.type(description="A step of a run and how many nodes it holds.")
class RunStep:
    step: int
    nodes: int


@strawberry.type(description="One recorded agent run.")
class Run(relay.Node):
    id: relay.NodeID[str]
    _record: strawberry.Private[RunRecord]

    @classmethod
    def of(cls, record: RunRecord) -> Run:
        return cls(id=record.id, _record=record)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Run | None]:
        records = await loaders(info).run.load_many(list(node_ids))
        return [cls.of(r) if r is not None else None for r in records]

    @strawberry.field(description="The run's own id, as recorded.")
    def run_id(self) -> str:
        return self.id

    @strawberry.field
    def agent_id(self) -> str | None:
        return self._record.agent_id

    @strawberry.field(
        description="The agent the run is attributed to; null when no such agent is recorded."
    )
    async def agent(self, info: Info) -> AgentInterface | None:
        if self._record.agent_id is None:
            return None
        found = await tracker_loaders(info).agents.load(self._record.agent_id)
        return agent_of(found) if found is not None else None

    @strawberry.field
    def status(self) -> RunStatus | None:
        return RunStatus(self._record.status) if self._record.status else None

    @strawberry.field
    def started_at(self) -> str | None:
        return to_iso(self._record.started_at)

    @strawberry.field
    def ended_at(self) -> str | None:
        return to_iso(self._record.ended_at)

    @strawberry.field(description="Free-form JSON, as a string.")
    def metadata(self) -> str | None:
        return self._record.metadata

    @strawberry.field(description="The conversation or thread the run belongs to, if given.")
    def session_id(self) -> str | None:
        return self._record.session_id

    @strawberry.field(description="The session the run belongs to; null when it names none.")
    async def session(self, info: Info) -> Session | None:
        if self._record.session_id is None:
            return None
        found = await loaders(info).session.load(self._record.session_id)
        return Session.of(found) if found else None

    @strawberry.field(description="The run's labels (addRunLabel, removeRunLabel).")
    def labels(self) -> list[str]:
        return list(self._record.labels)

    @strawberry.field(description="The tools its nodes used, by name, sorted.")
    def tool_names(self) -> list[str]:
        return list(self._record.tool_names)

    @strawberry.field(
        description="How many of its nodes recorded an error (or tool status `error`)."
    )
    def error_count(self) -> int:
        return self._record.error_count

    @strawberry.field(
        description="Its nodes' tokens, cost, latency and errors (kept on the run as recorded)."
    )
    def rollup(self) -> RunRollup:
        r = self._record
        term = next((t for t in metadata_terms(r.metadata) if t.startswith(MODEL_PREFIX)), None)
        row = {
            "model_term": term,
            "runs": 1,
            "nodes": r.node_count,
            "tokens": r.tokens_total,
            "cost": r.cost_total,
            "latency": r.latency_total,
            "errors": r.error_count,
        }
        return RunRollup.of(rollup_of([row]))

    @strawberry.field(description="Order-free digest over all node hashes and edges of the run.")
    def root_digest(self) -> str | None:
        return self._record.root_digest

    @strawberry.field
    def node_count(self) -> int:
        return self._record.node_count

    @strawberry.field
    def edge_count(self) -> int:
        return self._record.edge_count

    @strawberry.field(description="When the run was first recorded (ISO-8601 UTC).")
    def recorded_at(self) -> str | None:
        return to_iso(self._record.created_at)

    @strawberry.field(description="The run's steps, in order, with their node counts.")
    async def steps(
        self, info: Info, first: First = None, after: str | None = None
    ) -> Connection[RunStep]:
        page = page_request(info, first, after)
        found = await loaders(info).step_pages(page).load(self.id)
        return slice_connection(
            found, page, to_node=lambda s: RunStep(step=s[0], nodes=s[1]), key=lambda s: [s[0]]
        )

    @strawberry.field(description="The run's nodes ordered by (step, id); filter by kind/step.")
    async def nodes(
        self,
        info: Info,
        kinds: list[RunNodeKind] | None = None,
        step: int | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[RunNode]:
        page = page_request(info, first, after)
        wanted = tuple(sorted(set(kinds or ())))
        found = await loaders(info).node_pages((step, wanted, page)).load(self.id)
        return slice_connection(found, page, to_node=RunNode.of, key=lambda r: [r.step, r.id])


@strawberry.type(
    description="A session (conversation, thread): the runs recorded with its id "
    "(`recordRun(input: {run: {sessionId}})`), in order of their start."
)
class Session(relay.Node):
    id: relay.NodeID[str]
    _record: strawberry.Private[SessionRecord]

    @classmethod
    def of(cls, record: SessionRecord) -> Session:
        return cls(id=record.id, _record=record)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Session | None]:
        records = await loaders(info).session.load_many(list(node_ids))
        return [cls.of(r) if r is not None else None for r in records]

    @strawberry.field(description="The session's own id, as the runs give it.")
    def session_id(self) -> str:
        return self.id

    @strawberry.field(description="How many runs it holds.")
    def run_count(self) -> int:
        return self._record.runs

    @strawberry.field(description="When its first run started (or was recorded).")
    def started_at(self) -> str | None:
        return to_iso(self._record.first_at)

    @strawberry.field(description="When its last run started (or was recorded).")
    def last_run_at(self) -> str | None:
        return to_iso(self._record.last_at)

    @strawberry.field(description="The latest end time of its runs, if any ended.")
    def ended_at(self) -> str | None:
        return to_iso(self._record.ended_at)

    @strawberry.field(description="The agents of its runs, sorted.")
    def agent_ids(self) -> list[str]:
        return list(self._record.agent_ids)

    @strawberry.field(description="How many of its runs failed.")
    def failed_runs(self) -> int:
        return self._record.failed_runs

    @strawberry.field(description="How many nodes of its runs recorded an error.")
    def error_count(self) -> int:
        return self._record.errors

    @strawberry.field(description="Its runs' tokens, cost, latency and errors, per model.")
    async def rollup(self, info: Info) -> RunRollup:
        found = await loaders(info).session_rollup.load(self.id)
        return RunRollup.of(found or rollup_of([]))

    @strawberry.field(description="Its runs in order (start time, or record time; then id).")
    async def runs(
        self, info: Info, first: First = None, after: str | None = None
    ) -> Connection[Run]:
        page = page_request(info, first, after)
        found = await loaders(info).session_runs(page).load(self.id)
        return slice_connection(found, page, to_node=Run.of, key=lambda r: [r.sort_at, r.id])


strawberry.enum(
    SearchKind,
    name="SearchKind",
    description="What a search looks at: run nodes of a kind, or RUN (run metadata, agent).",
)


@strawberry.type(description="A search hit: a run node, or a run (kind RUN).")
class SearchHit:
    kind: SearchKind
    node_id: str = strawberry.field(description="The node's id (a run's id for kind RUN).")
    run_id: str
    score: int = strawberry.field(
        description="2 per search term found, 1 more when its tool name is a term."
    )
    _terms: strawberry.Private[list[str]]

    @strawberry.field(description="The run node; null for a hit of kind RUN.")
    async def node(self, info: Info) -> RunNode | None:
        if self.kind is SearchKind.RUN:
            return None
        record = await loaders(info).node.load(self.node_id)
        return RunNode.of(record) if record else None

    @strawberry.field(description="The run of the hit (the run itself for kind RUN).")
    async def run(self, info: Info) -> Run | None:
        record = await loaders(info).run.load(self.run_id)
        return Run.of(record) if record else None

    @strawberry.field(description="Up to 160 characters around the first term found.")
    async def snippet(self, info: Info) -> str | None:
        if self.kind is SearchKind.RUN:
            record = await loaders(info).run.load(self.run_id)
            texts = [record.metadata, record.agent_id] if record else []
        else:
            node = await loaders(info).node.load(self.node_id)
            texts = (
                [node.text, node.json_text, node.tool_name, node.arguments, node.error]
                if node
                else []
            )
        for text in texts:
            found = snippet(text, self._terms)
            if found:
                return found
        return None


strawberry.enum(
    RunLinkKind,
    name="RunLinkKind",
    description="How a run links to the rest of the graph: run -kind-> target. STARTED_BY: a "
    "sub-run started by a parent run or the parent's run node (say its tool call); "
    "ACTED_ON_BEHALF_OF: delegation (a run or an agent); INFORMED_BY: a hand-off from another "
    "run; PART_OF: a task; GENERATED_BY: an activity; ATTRIBUTED_TO: an agent.",
)


@strawberry.type(description="What linkRun did.")
class RunLinkPayload:
    kind: RunLinkKind
    run_id: str
    target: str
    created: bool = strawberry.field(description="False when the link was there already.")


@strawberry.type(description="What unlinkRun did.")
class RunUnlinkPayload:
    removed: bool = strawberry.field(description="False when there was no such link.")


@strawberry.type(description="A node reached by a traversal, at its distance from the origin.")
class TraversalNode:
    node: RunNode
    distance: int


@strawberry.type(
    description="A node reached by a traversal that is not a run node: a run, task, activity "
    "or agent (lineage crosses into the task tracker). Look it up with `task`, `agent`, ..."
)
class LinkedNode:
    node_id: str
    kind: str = strawberry.field(description="run, task, activity or agent.")
    distance: int


def _traversal_nodes(self: Traversal) -> list[TraversalNode]:
    fetched = self._fetched
    out: list[TraversalNode] = []
    for n in self._found.nodes:
        record, loaded = n.record, n.loaded
        if fetched is not None and n.id in fetched:
            record, loaded = fetched[n.id], NodeContent.ALL
        node = RunNode(
            id=n.id,
            kind=_NODE_KINDS[n.kind],
            step=n.step or 0,
            run_id=n.run_id or "",
            node_id=n.id,
            _record=record,
            _loaded=loaded,
            _text=n.text,
        )
        out.append(TraversalNode(node=node, distance=n.distance))
    return out


def _traversal_others(self: Traversal) -> list[LinkedNode]:
    return [LinkedNode(node_id=o.id, kind=o.kind, distance=o.distance) for o in self._found.others]


def _traversal_edges(self: Traversal) -> list[ProvEdge]:
    return [ProvEdge(kind=k, source=s, target=t) for k, s, t in self._found.oriented_edges()]


def _traversal_page_info(self: Traversal) -> relay.PageInfo:
    found = self._found
    ends = [*found.nodes[:1], *found.nodes[-1:], *found.others[:1], *found.others[-1:]]
    if not ends:
        return relay.PageInfo(
            has_next_page=found.has_next,
            has_previous_page=self._had_cursor,
            start_cursor=None,
            end_cursor=None,
        )
    # Both lists are in (distance, id) order, the order pages follow.
    first = min(ends, key=_page_key)
    last = max(ends, key=_page_key)
    return relay.PageInfo(
        has_next_page=found.has_next,
        has_previous_page=self._had_cursor,
        start_cursor=encode_cursor([first.distance, first.id]),
        end_cursor=encode_cursor([last.distance, last.id]),
    )


def _traversal_depth_limited(self: Traversal) -> bool:
    return _looked_for(self._found.depth_limited)


def _page_key(n: runs.ReachedNode) -> tuple[int, str]:
    return (n.distance, n.id)


@strawberry.type(description="Ancestors or descendants of a node.")
class Traversal:
    # The lists are made when selected, from the service's answer (``_found``).
    origin_id: str
    nodes: list[TraversalNode] = strawberry.field(resolver=_traversal_nodes)
    other_nodes: list[LinkedNode] = strawberry.field(
        resolver=_traversal_others,
        description="Reached runs, tasks, activities and agents (not run nodes), by distance.",
    )
    edges: list[ProvEdge] = strawberry.field(resolver=_traversal_edges)
    depth: int = strawberry.field(description="The depth searched (after clamping).")
    requested_depth: int = strawberry.field(description="The depth asked for, or the default.")
    depth_clamped: bool = strawberry.field(
        description="True when the depth asked for was over PROVGRAPH_MAX_TRAVERSAL_DEPTH."
    )
    depth_limited: bool = strawberry.field(
        resolver=_traversal_depth_limited,
        description="True when the depth cut the answer: nodes not returned lie beyond it "
        "(ask again with a larger depth). Distinct from `truncated`.",
    )
    truncated: bool = strawberry.field(
        description="True when the node cap (PROVGRAPH_MAX_RESULT_NODES) cut the answer: more "
        "nodes matched within the depth than returned. Never on a paged answer (`first`)."
    )
    page_info: relay.PageInfo = strawberry.field(
        resolver=_traversal_page_info,
        description="Paged answers (`first`/`after`): the cursor of the last node and whether "
        "more follow. Unpaged: hasNextPage false.",
    )
    _found: strawberry.Private[runs.CausalTraversal]
    _had_cursor: strawberry.Private[bool] = False
    # Content fetched after the walk (answers ``asOf`` read no content with the levels).
    _fetched: strawberry.Private[dict[str, NodeRecord] | None] = None

    @classmethod
    def of(
        cls,
        t: runs.CausalTraversal,
        *,
        had_cursor: bool = False,
        fetched: dict[str, NodeRecord] | None = None,
    ) -> Traversal:
        return cls(
            origin_id=t.origin,
            depth=t.depth,
            requested_depth=t.requested_depth,
            depth_clamped=t.depth_clamped,
            truncated=t.truncated,
            _found=t,
            _had_cursor=had_cursor,
            _fetched=fetched,
        )

    @classmethod
    async def answer(
        cls, info: Info, t: runs.CausalTraversal, content: NodeContent, *, had_cursor: bool
    ) -> Traversal:
        """``of``, with the content the selection asks (``content``) fetched for the nodes the
        walk read without it (``asOf`` answers): one batched fetch, before any field runs."""
        if content is NodeContent.NONE:
            return cls.of(t, had_cursor=had_cursor)
        missing = [
            n.id
            for n in t.nodes
            if not (
                n.loaded is NodeContent.ALL
                or (content is NodeContent.TEXT and n.loaded is NodeContent.TEXT)
            )
        ]
        if not missing:
            return cls.of(t, had_cursor=had_cursor)
        fetched: dict[str, NodeRecord] = {}
        for node_id, record in zip(
            missing, await loaders(info).node.load_many(missing), strict=True
        ):
            if record is None:
                raise BadUserInput(f"run node {node_id!r} vanished", id=node_id)
            fetched[node_id] = record
        return cls.of(t, had_cursor=had_cursor, fetched=fetched)

    @strawberry.field(
        description="What the origin and every node returned cost (tokens, cost, latency, "
        "errors), in all and per model: one engine round trip however many nodes."
    )
    async def rollup(self, info: Info) -> RunRollup:
        ids = [self.origin_id, *(n.id for n in self._found.nodes)]
        found = await info.context.service(runs.RunService).rollup_nodes(info.context.tenant, ids)
        return RunRollup.of(found)

    @strawberry.field(
        description="The runs reached: those of the run nodes returned and the runs reached "
        "through run links, sorted."
    )
    def reached_runs(self) -> list[str]:
        found = {n.run_id or "" for n in self._found.nodes} | {
            o.id for o in self._found.others if o.kind == "run"
        }
        return sorted(found - {""})

    @strawberry.field(description="The tasks reached, sorted.")
    def reached_tasks(self) -> list[str]:
        return sorted({o.id for o in self._found.others if o.kind == "task"})

    @strawberry.field(description="The agents reached, sorted.")
    def reached_agents(self) -> list[str]:
        return sorted({o.id for o in self._found.others if o.kind == "agent"})

    @strawberry.field(description="The activities reached, sorted.")
    def reached_activities(self) -> list[str]:
        return sorted({o.id for o in self._found.others if o.kind == "activity"})

    @strawberry.field(description="The node the traversal started from.")
    async def origin(self, info: Info) -> RunNode | None:
        record = await loaders(info).node.load(self.origin_id)
        return RunNode.of(record) if record else None


@strawberry.type(description="One causal path, its nodes in order from fromId to toId.")
class LineagePath:
    node_ids: list[str]
    edges: list[ProvEdge]

    @strawberry.field
    def length(self) -> int:
        return len(self.edges)

    @strawberry.field(description="The path's nodes, in order.")
    async def nodes(self, info: Info) -> list[RunNode]:
        records = await loaders(info).node.load_many(self.node_ids)
        return [RunNode.of(r) for r in records if r is not None]


def _lineage_depth_limited(self: Lineage) -> bool:
    return _looked_for(self._depth_limited)


@strawberry.type(description="How two nodes are causally linked.")
class Lineage:
    from_id: str
    to_id: str
    direction: str | None = strawberry.field(
        description="`downstream`: fromId influenced toId; `upstream`: toId influenced fromId; "
        "null: no path within the depth."
    )
    paths: list[LineagePath]
    depth: int = strawberry.field(description="The longest path searched (after clamping).")
    requested_depth: int = strawberry.field(description="maxDepth as asked, or the default.")
    depth_clamped: bool = strawberry.field(
        description="True when maxDepth was over PROVGRAPH_MAX_TRAVERSAL_DEPTH."
    )
    depth_limited: bool = strawberry.field(
        resolver=_lineage_depth_limited,
        description="True when causes went on beyond the depth searched: a longer path (or, "
        "with no path, any path) may exist. Distinct from `truncated`.",
    )
    truncated: bool = strawberry.field(description="True when more than 100 paths matched.")
    # Whether causes go on beyond the depth; None when the query did not select it (not looked
    # for: one more level read per direction).
    _depth_limited: strawberry.Private[bool | None] = None

    @classmethod
    def of(cls, lin: runs.Lineage) -> Lineage:
        return cls(
            from_id=lin.from_id,
            to_id=lin.to_id,
            direction=lin.direction,
            paths=[
                LineagePath(node_ids=p.node_ids, edges=[ProvEdge.of(e) for e in p.edges])
                for p in lin.paths
            ],
            depth=lin.depth,
            requested_depth=lin.requested_depth,
            depth_clamped=lin.depth_clamped,
            truncated=lin.truncated,
            _depth_limited=lin.depth_limited,
        )


@strawberry.type(description="All nodes and edges of a run, or of one step of it.")
class RunSubgraph:
    run: Run
    step: int | None
    nodes: list[RunNode]
    edges: list[ProvEdge]
    truncated: bool

    @classmethod
    def of(cls, sub: runs.Subgraph) -> RunSubgraph:
        return cls(
            run=Run.of(sub.run),
            step=sub.step,
            nodes=[RunNode.of(n) for n in sub.nodes],
            edges=[ProvEdge.of(e) for e in sub.edges],
            truncated=sub.truncated,
        )


@strawberry.type(description="One difference between two runs.")
class RunDifference:
    cls: DiffClass = strawberry.field(name="class")
    step: int
    kind: RunNodeKind | None
    node_id: str | None = strawberry.field(description="The node in the first run, if any.")
    other_node_id: str | None = strawberry.field(description="The node in the other run.")
    content: str | None = strawberry.field(description="Short content in the first run.")
    other_content: str | None


@strawberry.type(description="Two runs compared step by step and by node kind.")
class RunDiff:
    run: Run
    other_run: Run
    identical: bool
    first_divergent_step: int | None
    steps_compared: int
    differences: list[RunDifference]

    @classmethod
    def of(cls, d: run_diff.RunDiff) -> RunDiff:
        return cls(
            run=Run.of(d.run),
            other_run=Run.of(d.other_run),
            identical=d.identical,
            first_divergent_step=d.first_divergent_step,
            steps_compared=d.steps_compared,
            differences=[
                RunDifference(
                    cls=x.cls,
                    step=x.step,
                    kind=RunNodeKind(x.kind) if x.kind else None,
                    node_id=x.node_id,
                    other_node_id=x.other_node_id,
                    content=x.content,
                    other_content=x.other_content,
                )
                for x in d.differences
            ],
        )


@strawberry.type(description="A node whose stored hash no longer matches its content.")
class HashMismatch:
    node_id: str
    stored_hash: str | None
    recomputed_hash: str
    reason: str


@strawberry.type(description="The result of recomputing a run's hashes.")
class RunVerification:
    run: Run
    ok: bool
    nodes_checked: int
    edges_checked: int
    mismatches: list[HashMismatch]
    root_digest: str | None
    recomputed_root_digest: str
    root_digest_matches: bool

    @classmethod
    def of(cls, v: runs.Verification) -> RunVerification:
        return cls(
            run=Run.of(v.run),
            ok=v.ok,
            nodes_checked=v.nodes_checked,
            edges_checked=v.edges_checked,
            mismatches=[
                HashMismatch(
                    node_id=m.node_id,
                    stored_hash=m.stored_hash,
                    recomputed_hash=m.recomputed_hash,
                    reason=m.reason,
                )
                for m in v.mismatches
            ],
            root_digest=v.root_digest,
            recomputed_root_digest=v.recomputed_root_digest,
            root_digest_matches=v.root_digest_matches,
        )


@strawberry.type(description="What recordRun wrote.")
class RecordRunPayload:
    run: Run
    nodes_created: int
    nodes_unchanged: int
    edges_created: int
    edges_unchanged: int
    changed: bool = strawberry.field(description="False when the batch was already recorded.")


@strawberry.type(description="Runs pruned (or that would be, on a dry run).")
class PruneRunsPayload:
    cutoff: str
    dry_run: bool
    runs: int
    run_ids: list[str]
    nodes: int
    edges: int
