"""Tracker queries and mutations: thin resolvers over TaskService and AgentService."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from provgraph.core.api.context import Info
from provgraph.core.api.permissions import CanWrite
from provgraph.core.api.relay import Connection, First, page_request, slice_connection
from provgraph.tracker import records as d
from provgraph.tracker.api.inputs import (
    CreateHumanAgentInput,
    CreateMlAgentInput,
    CreateSoftwareAgentInput,
    CreateTaskInput,
    StartActivityInput,
    TaskFilterInput,
    UpdateTaskInput,
)
from provgraph.tracker.api.types import (
    RELATIONS_ORDER,
    Activity,
    AgentInterface,
    AgentKind,
    Comment,
    HumanAgent,
    MlAgent,
    MlProvider,
    ReachedTask,
    RemoveTaskRelationPayload,
    SoftwareAgent,
    Stage,
    StartActivityPayload,
    Task,
    TaskEdgeKind,
    TaskRelation,
    TaskRelationPayload,
    TaskTraversal,
    agent_of,
    comment_connection,
    relation_connection,
)
from provgraph.tracker.service import AgentService, TaskFilter, TaskService, TaskTraversalResult

TaskDepth = Annotated[
    int | None,
    strawberry.argument(
        description="Hops over blocked_by. Null (the default): PROVGRAPH_MAX_TRAVERSAL_DEPTH "
        "(10 unless configured), also the most allowed (larger is clamped: `depthClamped`)."
    ),
]


def _traversal(t: TaskTraversalResult) -> TaskTraversal:
    return TaskTraversal(
        root=Task.of(t.root),
        tasks=[
            ReachedTask(task=Task.of(r.task), distance=r.distance, parent_id=r.parent_id)
            for r in t.entries
        ],
        depth=t.depth,
        requested_depth=t.requested_depth,
        depth_clamped=t.depth_clamped,
        depth_limited=t.depth_limited,
        truncated=t.truncated,
        relations=[TaskRelation.of(e) for e in t.edges],
    )


def _by_creation(t: d.Task) -> list[Any]:
    return [t.created_at, t.id]


def _by_priority(t: d.Task) -> list[Any]:
    return [t.priority, t.created_at, t.id]


@strawberry.type
class TrackerQuery:
    @strawberry.field(description="One task by its native id; null when not found.")
    async def task(self, info: Info, id: str) -> Task | None:
        found = await info.context.service(TaskService).get(info.context.tenant, id)
        return Task.of(found) if found else None

    @strawberry.field(description="Tasks in creation order, filtered.")
    async def tasks(
        self,
        info: Info,
        filter: TaskFilterInput | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Task]:
        f = filter or TaskFilterInput()
        page = page_request(info, first, after)
        rows = await info.context.service(TaskService).list_page(
            info.context.tenant,
            TaskFilter(f.status, f.priority, f.type, f.phase, f.label, f.namespace),
            page,
        )
        return slice_connection(rows, page, to_node=Task.of, key=_by_creation)

    @strawberry.field(description="Open tasks with no open blocker, by priority then creation.")
    async def ready_tasks(
        self,
        info: Info,
        namespace: str | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Task]:
        return await _ready_or_blocked(info, False, namespace, first, after)

    @strawberry.field(description="Open tasks with an open blocker, by priority then creation.")
    async def blocked_tasks(
        self,
        info: Info,
        namespace: str | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Task]:
        return await _ready_or_blocked(info, True, namespace, first, after)

    @strawberry.field(
        description="A task's edges (both directions), optionally of some kinds; "
        f"{RELATIONS_ORDER}. A missing task is NOT_FOUND."
    )
    async def task_edges(
        self,
        info: Info,
        task_id: str,
        kinds: list[TaskEdgeKind] | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[TaskRelation]:
        page = page_request(info, first, after)
        found = await info.context.service(TaskService).relations(
            info.context.tenant, task_id, [k.edge_kind for k in kinds] if kinds else None, page
        )
        return relation_connection(found, page)

    @strawberry.field(
        description="Depth-first over blocked_by from a task: what it waits on, as a tree "
        "(each task once, `distance` is its depth, `parentId` the task it blocks). A missing "
        "task is NOT_FOUND."
    )
    async def dependency_tree(
        self, info: Info, task_id: str, depth: TaskDepth = None
    ) -> TaskTraversal:
        found = await info.context.service(TaskService).dependency_tree(
            info.context.tenant, task_id, depth
        )
        return _traversal(found)

    @strawberry.field(
        description="Every task this task transitively waits on (blocked_by). A missing "
        "task is NOT_FOUND."
    )
    async def task_ancestors(
        self, info: Info, task_id: str, depth: TaskDepth = None
    ) -> TaskTraversal:
        found = await info.context.service(TaskService).traverse(
            info.context.tenant, task_id, depth, ancestors=True
        )
        return _traversal(found)

    @strawberry.field(
        description="Every task that transitively waits on this task. A missing task is NOT_FOUND."
    )
    async def task_descendants(
        self, info: Info, task_id: str, depth: TaskDepth = None
    ) -> TaskTraversal:
        found = await info.context.service(TaskService).traverse(
            info.context.tenant, task_id, depth, ancestors=False
        )
        return _traversal(found)

    @strawberry.field(description="A task's comments in time order. A missing task is NOT_FOUND.")
    async def task_comments(
        self, info: Info, task_id: str, first: First = None, after: str | None = None
    ) -> Connection[Comment]:
        page = page_request(info, first, after)
        found = await info.context.service(TaskService).list_comments(
            info.context.tenant, task_id, page
        )
        return comment_connection(found, page)

    @strawberry.field(description="Any agent by native id; null when not found.")
    async def agent(self, info: Info, id: str) -> AgentInterface | None:
        found = await info.context.service(AgentService).find(info.context.tenant, id)
        return agent_of(found) if found else None

    @strawberry.field(
        description="A human agent; null when not found, AGENT_KIND_MISMATCH for another kind."
    )
    async def human_agent(self, info: Info, id: str) -> HumanAgent | None:
        found = await _agent(info, id, d.AgentKind.HUMAN)
        assert found is None or isinstance(found, HumanAgent)
        return found

    @strawberry.field(
        description="An ML agent; null when not found, AGENT_KIND_MISMATCH for another kind."
    )
    async def ml_agent(self, info: Info, id: str) -> MlAgent | None:
        found = await _agent(info, id, d.AgentKind.ML)
        assert found is None or isinstance(found, MlAgent)
        return found

    @strawberry.field(
        description="A software agent; null when not found, AGENT_KIND_MISMATCH for another kind."
    )
    async def software_agent(self, info: Info, id: str) -> SoftwareAgent | None:
        found = await _agent(info, id, d.AgentKind.SOFTWARE)
        assert found is None or isinstance(found, SoftwareAgent)
        return found

    @strawberry.field(description="Agents in creation order, optionally of one kind.")
    async def agents(
        self,
        info: Info,
        kind: AgentKind | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[AgentInterface]:
        page = page_request(info, first, after)
        rows = await info.context.service(AgentService).list_page(info.context.tenant, kind, page)
        return slice_connection(rows, page, to_node=agent_of, key=lambda a: [a.created_at, a.id])

    @strawberry.field(description="One activity by native id; null when not found.")
    async def activity(self, info: Info, id: str) -> Activity | None:
        found = await info.context.service(AgentService).find_activity(info.context.tenant, id)
        return None if found is None else Activity.of(found)

    @strawberry.field(description="Activities in start order, optionally of one agent.")
    async def activities(
        self,
        info: Info,
        agent_id: str | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Activity]:
        page = page_request(info, first, after)
        rows = await info.context.service(AgentService).list_activities(
            info.context.tenant, agent_id, page
        )
        return slice_connection(rows, page, to_node=Activity.of, key=lambda x: [x.started_at, x.id])

    @strawberry.field(description="The ML model registry: providers and their models.")
    def ml_models(self, info: Info) -> list[MlProvider]:
        registry = info.context.service(AgentService).models.providers()
        return [MlProvider(provider=p, models=list(ms)) for p, ms in sorted(registry.items())]


async def _agent(info: Info, id: str, kind: d.AgentKind) -> AgentInterface | None:
    found = await info.context.service(AgentService).find(info.context.tenant, id, kind)
    return agent_of(found) if found else None


async def _ready_or_blocked(
    info: Info, blocked: bool, namespace: str | None, first: int | None, after: str | None
) -> Connection[Task]:
    page = page_request(info, first, after)
    rows = await info.context.service(TaskService).ready_or_blocked(
        info.context.tenant, blocked=blocked, namespace=namespace, page=page
    )
    return slice_connection(rows, page, to_node=Task.of, key=_by_priority)


@strawberry.type
class TrackerMutation:
    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Create an open task with a `{namespace}--{UUIDv7}` id.",
    )
    async def create_task(self, info: Info, input: CreateTaskInput) -> Task:
        task = await info.context.service(TaskService).create(
            info.context.tenant,
            namespace=input.namespace,
            title=input.title,
            description=input.description,
            type=d.TaskType(input.type),
            priority=input.priority,
            phase=d.Phase(input.phase),
            owner=input.owner,
            notes=input.notes,
        )
        return Task.of(task)

    @strawberry.mutation(extensions=[CanWrite()], description="Change some fields of a task.")
    async def update_task(self, info: Info, id: str, input: UpdateTaskInput) -> Task:
        changes = {
            key: getattr(input, key)
            for key in ("title", "description", "status", "priority", "phase", "owner", "notes")
            if getattr(input, key) is not strawberry.UNSET
        }
        task = await info.context.service(TaskService).update(info.context.tenant, id, changes)
        return Task.of(task)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Close a task with a reason; ALREADY_CLOSED if it is.",
    )
    async def close_task(self, info: Info, id: str, reason: str) -> Task:
        return Task.of(
            await info.context.service(TaskService).close(info.context.tenant, id, reason)
        )

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Add `source -kind-> target` (idempotent). blocked_by refuses a cycle "
        "(CYCLE_DETECTED); each end's kind is checked.",
    )
    async def add_task_edge(
        self, info: Info, kind: TaskEdgeKind, source: str, target: str
    ) -> TaskRelationPayload:
        created = await info.context.service(TaskService).add_edge(
            info.context.tenant, kind.edge_kind, source, target
        )
        return TaskRelationPayload(
            edge=TaskRelation(kind=kind, source=source, target=target), created=created
        )

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Remove `source -kind-> target`; a missing edge is a no-op.",
    )
    async def remove_task_edge(
        self, info: Info, kind: TaskEdgeKind, source: str, target: str
    ) -> RemoveTaskRelationPayload:
        removed = await info.context.service(TaskService).remove_edge(
            info.context.tenant, kind.edge_kind, source, target
        )
        return RemoveTaskRelationPayload(removed=removed)

    @strawberry.mutation(extensions=[CanWrite()], description="Add a label to a task (idempotent).")
    async def add_task_label(self, info: Info, task_id: str, label: str) -> Task:
        tasks = info.context.service(TaskService)
        return Task.of(await tasks.set_label(info.context.tenant, task_id, label, add=True))

    @strawberry.mutation(
        extensions=[CanWrite()], description="Remove a label from a task (idempotent)."
    )
    async def remove_task_label(self, info: Info, task_id: str, label: str) -> Task:
        tasks = info.context.service(TaskService)
        return Task.of(await tasks.set_label(info.context.tenant, task_id, label, add=False))

    @strawberry.mutation(
        extensions=[CanWrite()], description="Append a comment by an agent to a task."
    )
    async def add_comment(self, info: Info, task_id: str, agent_id: str, body: str) -> Comment:
        comment = await info.context.service(TaskService).add_comment(
            info.context.tenant, task_id, agent_id, body
        )
        return Comment.of(comment)

    @strawberry.mutation(extensions=[CanWrite()], description="Register a human agent.")
    async def create_human_agent(self, info: Info, input: CreateHumanAgentInput) -> HumanAgent:
        agent = await info.context.service(AgentService).create(
            info.context.tenant,
            input.namespace,
            d.AgentKind.HUMAN,
            {"name": input.name, "contact": input.contact},
        )
        found = agent_of(agent)
        assert isinstance(found, HumanAgent)
        return found

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Register an ML agent; an unknown model is NOT_FOUND.",
    )
    async def create_ml_agent(self, info: Info, input: CreateMlAgentInput) -> MlAgent:
        agent = await info.context.service(AgentService).create(
            info.context.tenant,
            input.namespace,
            d.AgentKind.ML,
            {"role": d.Role(input.role), "provider": input.provider, "model": input.model},
        )
        found = agent_of(agent)
        assert isinstance(found, MlAgent)
        return found

    @strawberry.mutation(extensions=[CanWrite()], description="Register a software agent.")
    async def create_software_agent(
        self, info: Info, input: CreateSoftwareAgentInput
    ) -> SoftwareAgent:
        agent = await info.context.service(AgentService).create(
            info.context.tenant,
            input.namespace,
            d.AgentKind.SOFTWARE,
            {"name": input.name, "version": input.version, "source": input.source},
        )
        found = agent_of(agent)
        assert isinstance(found, SoftwareAgent)
        return found

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Start an activity of an agent (idempotent with an `id`).",
    )
    async def start_activity(self, info: Info, input: StartActivityInput) -> StartActivityPayload:
        activity, created = await info.context.service(AgentService).start_activity(
            info.context.tenant,
            agent_id=input.agent_id,
            phase=d.Phase(input.phase),
            stage=d.Stage(input.stage),
            notes=input.notes,
            activity_id=input.id,
            namespace=input.namespace,
        )
        return StartActivityPayload(activity=Activity.of(activity), created=created)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="End an activity: sets its end time (kept on a replay).",
    )
    async def end_activity(self, info: Info, id: str, stage: Stage | None = None) -> Activity:
        activity = await info.context.service(AgentService).end_activity(
            info.context.tenant, id, d.Stage(stage) if stage else None
        )
        return Activity.of(activity)
