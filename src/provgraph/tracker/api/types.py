"""GraphQL types of the task tracker: tasks, agents, activities, comments, edges."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

import strawberry
from strawberry import relay

from provgraph.core.api.context import Info
from provgraph.core.api.relay import Connection, First, page_request, slice_connection
from provgraph.core.domain.paging import PageRequest, Slice, edge_sort_key
from provgraph.core.domain.timefmt import to_iso
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.tracker import records as d
from provgraph.tracker.api.loaders import loaders

# The domain enums are the GraphQL enums (values upper-cased by name); registering them
# here keeps GraphQL out of the domain module.
TaskType = d.TaskType
TaskStatus = d.TaskStatus
Phase = d.Phase
Stage = d.Stage
AgentKind = d.AgentKind
AgentRole = d.Role
for _enum, _name, _description in (
    (TaskType, "TaskType", "Kind of work."),
    (TaskStatus, "TaskStatus", "Task lifecycle."),
    (Phase, "Phase", "Phase of the team's protocol."),
    (Stage, "Stage", "Progress of an activity."),
    (AgentKind, "AgentKind", "Human, ML or software."),
    (AgentRole, "AgentRole", "Role of an ML agent."),
):
    strawberry.enum(_enum, name=_name, description=_description)


@strawberry.enum(description="Edges a task can start: stored effect -> cause.")
class TaskEdgeKind(StrEnum):
    BLOCKED_BY = "blocked_by"  # task -> task
    DERIVED_FROM = "derived_from"  # task -> task
    SUPERSEDES = "supersedes"  # task -> task
    DISCOVERED_FROM = "discovered_from"  # task -> task
    GENERATED_BY = "generated_by"  # task -> activity
    ATTRIBUTED_TO = "attributed_to"  # task -> agent

    @property
    def edge_kind(self) -> EdgeKind:
        return EdgeKind(self.value)


def iso(ms: int | None) -> str | None:
    return to_iso(ms)


def iso_required(ms: int) -> str:
    out = iso(ms)
    assert out is not None
    return out


@strawberry.type(description="An edge in the client's orientation: source -kind-> target.")
class TaskRelation:
    kind: TaskEdgeKind
    source: str = strawberry.field(description="Native id of the source (the task).")
    target: str = strawberry.field(description="Native id of the target.")

    @classmethod
    def of(cls, edge: d.TaskEdge) -> TaskRelation:
        return cls(kind=TaskEdgeKind(edge.kind.value), source=edge.source, target=edge.target)


def relation_connection(found: Slice[d.TaskEdge], page: PageRequest) -> Connection[TaskRelation]:
    return slice_connection(
        found,
        page,
        to_node=TaskRelation.of,
        key=lambda e: edge_sort_key(e.kind, e.source, e.target),
    )


def comment_connection(found: Slice[d.Comment], page: PageRequest) -> Connection[Comment]:
    # Comments sort by their task's own sequence, then id: time order within one millisecond.
    return slice_connection(found, page, to_node=Comment.of, key=lambda c: [c.seq, c.id])


RELATIONS_ORDER = "ordered by kind (as `TaskEdgeKind` lists them), source, then target"


@strawberry.type(description="A unit of work of a multi-agent team.")
class Task(relay.Node):
    id: relay.NodeID[str]
    native_id: str = strawberry.field(description="The `{namespace}--{UUIDv7}` id.")
    namespace: str
    title: str
    description: str
    type: TaskType
    status: TaskStatus
    priority: int = strawberry.field(description="0 critical, 1 high, 2 medium, 3 low, 4 backlog.")
    phase: Phase
    owner: str | None
    notes: str | None
    labels: list[str]
    close_reason: str | None
    created_at: str
    updated_at: str
    closed_at: str | None

    @classmethod
    def of(cls, t: d.Task) -> Task:
        return cls(
            id=t.id,
            native_id=t.id,
            namespace=t.namespace,
            title=t.title,
            description=t.description,
            type=t.type,
            status=t.status,
            priority=t.priority,
            phase=t.phase,
            owner=t.owner,
            notes=t.notes,
            labels=list(t.labels),
            close_reason=t.close_reason,
            created_at=iso_required(t.created_at),
            updated_at=iso_required(t.updated_at),
            closed_at=iso(t.closed_at),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Task | None]:
        found = await loaders(info).tasks.load_many(list(node_ids))
        return [cls.of(t) if t else None for t in found]

    @strawberry.field(description=f"Edges touching this task (both directions), {RELATIONS_ORDER}.")
    async def relations(
        self,
        info: Info,
        kinds: list[TaskEdgeKind] | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[TaskRelation]:
        page = page_request(info, first, after)
        wanted = tuple(sorted({k.edge_kind for k in kinds})) if kinds else None
        found = await loaders(info).relation_pages((wanted, page)).load(self.native_id)
        return relation_connection(found, page)

    @strawberry.field(description="Comments on this task, oldest first (as `taskComments`).")
    async def comments(
        self, info: Info, first: First = None, after: str | None = None
    ) -> Connection[Comment]:
        page = page_request(info, first, after)
        found = await loaders(info).comment_pages(page).load(self.native_id)
        return comment_connection(found, page)


@strawberry.interface(name="Agent", description="Who did the work: a human, ML or software.")
class AgentInterface(relay.Node):
    id: relay.NodeID[str]
    native_id: str = strawberry.field(description="The `{namespace}--{UUIDv7}` id.")
    agent_kind: AgentKind
    created_at: str


def _agent_base(a: d.Agent) -> dict[str, Any]:
    return {
        "id": a.id,
        "native_id": a.id,
        "agent_kind": a.agent_kind,
        "created_at": iso_required(a.created_at),
    }


@strawberry.type(description="A person.")
class HumanAgent(AgentInterface):
    name: str
    contact: str | None

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[HumanAgent | None]:
        return await _typed_agents(info, node_ids, HumanAgent)


@strawberry.type(description="A machine-learning model acting in a role.")
class MlAgent(AgentInterface):
    role: AgentRole
    provider: str
    model: str

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[MlAgent | None]:
        return await _typed_agents(info, node_ids, MlAgent)


@strawberry.type(description="A program or tool.")
class SoftwareAgent(AgentInterface):
    name: str
    version: str | None
    source: str | None

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SoftwareAgent | None]:
        return await _typed_agents(info, node_ids, SoftwareAgent)


AgentType = HumanAgent | MlAgent | SoftwareAgent


def agent_of(a: d.Agent) -> AgentType:
    base = _agent_base(a)
    if a.agent_kind is d.AgentKind.HUMAN:
        return HumanAgent(**base, name=a.name or "", contact=a.contact)
    if a.agent_kind is d.AgentKind.ML:
        return MlAgent(
            **base, role=a.role or d.Role.WORKER, provider=a.provider or "", model=a.model or ""
        )
    return SoftwareAgent(**base, name=a.name or "", version=a.version, source=a.source)


A = TypeVar("A", HumanAgent, MlAgent, SoftwareAgent)


async def _typed_agents(info: Info, node_ids: Iterable[str], cls: type[A]) -> list[A | None]:
    """Relay lookups by global id: an agent of another kind is not this type (null)."""
    found = await loaders(info).agents.load_many(list(node_ids))
    out: list[A | None] = []
    for a in found:
        typed = agent_of(a) if a else None
        out.append(typed if isinstance(typed, cls) else None)
    return out


@strawberry.type(description="Something an agent did over a span of time, in a phase.")
class Activity(relay.Node):
    id: relay.NodeID[str]
    native_id: str
    agent_id: str | None
    phase: Phase
    stage: Stage
    notes: str | None
    started_at: str
    ended_at: str | None

    @classmethod
    def of(cls, x: d.Activity) -> Activity:
        return cls(
            id=x.id,
            native_id=x.id,
            agent_id=x.agent_id,
            phase=x.phase,
            stage=x.stage,
            notes=x.notes,
            started_at=iso_required(x.started_at),
            ended_at=iso(x.ended_at),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Activity | None]:
        found = await loaders(info).activities.load_many(list(node_ids))
        return [cls.of(x) if x else None for x in found]

    @strawberry.field(description="The agent associated with the activity.")
    async def agent(self, info: Info) -> AgentInterface | None:
        if self.agent_id is None:
            return None
        found = await loaders(info).agents.load(self.agent_id)
        return agent_of(found) if found else None


@strawberry.type(description="An append-only remark on a task, written by an agent.")
class Comment(relay.Node):
    id: relay.NodeID[str]
    native_id: str
    task_id: str
    author_id: str | None
    body: str
    created_at: str

    @classmethod
    def of(cls, c: d.Comment) -> Comment:
        return cls(
            id=c.id,
            native_id=c.id,
            task_id=c.task_id,
            author_id=c.author_id,
            body=c.body,
            created_at=iso_required(c.created_at),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Comment | None]:
        found = await loaders(info).comments.load_many(list(node_ids))
        return [cls.of(c) if c else None for c in found]

    @strawberry.field(description="The agent who wrote it.")
    async def author(self, info: Info) -> AgentInterface | None:
        if self.author_id is None:
            return None
        found = await loaders(info).agents.load(self.author_id)
        return agent_of(found) if found else None


@strawberry.type(description="A task reached by a traversal, and how many hops away.")
class ReachedTask:
    task: Task
    distance: int = strawberry.field(description="Hops from the start (its depth in a tree).")
    parent_id: str | None = strawberry.field(
        description="In a dependency tree: the task this one blocks (its tree parent)."
    )


@strawberry.type(description="Tasks reached over blocked_by, with the limits that applied.")
class TaskTraversal:
    root: Task
    tasks: list[ReachedTask]
    depth: int = strawberry.field(description="The depth used (clamped to the server maximum).")
    requested_depth: int = strawberry.field(description="The depth asked for, or the default.")
    depth_clamped: bool = strawberry.field(
        description="True when the depth asked for was over PROVGRAPH_MAX_TRAVERSAL_DEPTH."
    )
    depth_limited: bool = strawberry.field(
        description="True when the depth cut the answer: tasks not returned lie beyond it. "
        "Distinct from `truncated`."
    )
    truncated: bool = strawberry.field(
        description="True when the node cap (PROVGRAPH_MAX_RESULT_NODES) cut the answer."
    )
    relations: list[TaskRelation] = strawberry.field(
        description="The blocked_by edges walked between the root and the tasks reached."
    )


@strawberry.type(description="Providers and models an ML agent may name.")
class MlProvider:
    provider: str
    models: list[str]


@strawberry.type
class TaskRelationPayload:
    edge: TaskRelation
    created: bool = strawberry.field(description="False when the edge was there already.")


@strawberry.type
class RemoveTaskRelationPayload:
    removed: bool = strawberry.field(description="False when there was no such edge (no-op).")


@strawberry.type
class StartActivityPayload:
    activity: Activity
    created: bool = strawberry.field(description="False when a replay returned the existing one.")
