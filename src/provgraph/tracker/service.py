"""Task tracker use cases: tasks, their edges, labels and comments; agents and activities.

Validation happens here, before any query; each use case is one transaction (a check and the
write it guards run together, so they cannot be split by another client).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from provgraph.config import Settings
from provgraph.core.domain.errors import BadUserInput, Conflict, NotFound
from provgraph.core.domain.ids import new_id, split_namespaced_id, validate_id, validate_namespace
from provgraph.core.domain.paging import PageRequest, Slice
from provgraph.core.domain.timefmt import now_ms
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.core.observe.events import Event, EventPublisher
from provgraph.core.store.audit import note_change
from provgraph.core.store.executor import Tx
from provgraph.core.store.traversal import DepthAnswer, DepthLimit, clamp_depth
from provgraph.tracker.agent_repository import ActivityRepository, AgentRepository
from provgraph.tracker.model_registry import ModelRegistry
from provgraph.tracker.records import (
    MAX_TITLE,
    NODE_KIND,
    TASK_EDGE_ENDS,
    Activity,
    Agent,
    AgentKind,
    AgentKindMismatch,
    AlreadyClosed,
    Comment,
    CycleDetected,
    Phase,
    Role,
    Stage,
    Task,
    TaskEdge,
    TaskStatus,
    TaskType,
    check_label,
    check_priority,
    check_text,
)
from provgraph.tracker.repository import TaskRepository

TASK_EDGE_KINDS: tuple[EdgeKind, ...] = tuple(TASK_EDGE_ENDS)


def _plain(value: Any) -> Any:
    """A task field as the audit trail stores it (JSON: enums as their values)."""
    return value.value if isinstance(value, Enum) else value


def task_id_arg(value: str, field: str = "id") -> str:
    """Task ids are ``{namespace}--{UUIDv7}``; anything else is BAD_USER_INPUT."""
    split_namespaced_id(value, field)
    return value


@dataclass(frozen=True)
class TaskFilter:
    status: TaskStatus | None = None
    priority: int | None = None
    type: TaskType | None = None
    phase: Phase | None = None
    label: str | None = None
    namespace: str | None = None


@dataclass(frozen=True)
class ReachedTask:
    task: Task
    distance: int
    parent_id: str | None = None


@dataclass(frozen=True)
class TaskTraversalResult(DepthAnswer):
    """Tasks reached from one task, with the depth actually used and whether it was capped."""

    root: Task
    entries: list[ReachedTask]
    limit: DepthLimit
    truncated: bool
    # Tasks not reached lie beyond the depth used.
    depth_limited: bool = False
    # The blocked_by edges walked (client orientation: waiter -blocked_by-> blocker), so a
    # client can draw the DAG, including edges to tasks the tree lists only once.
    edges: list[TaskEdge] = field(default_factory=list)


class TaskService:
    def __init__(
        self, repository: TaskRepository, settings: Settings, events: EventPublisher | None = None
    ) -> None:
        self.repo = repository
        self._events = events
        self.max_depth = settings.max_traversal_depth
        self.max_nodes = settings.max_result_nodes
        # Tenants whose lock node is known to exist.
        self._locks: set[str] = set()
        # In-process queue per tenant for blocked_by additions: the lock node serialises them
        # across processes; queueing here first keeps one process's own additions from
        # colliding on it (on ArcadeDB each collision is a retry with a growing back-off).
        self._queues: dict[str, asyncio.Lock] = {}

    def _announce(self, tenant: str, task_id: str, change: str) -> None:
        """After commit: a task changed (subscriptions)."""
        if self._events is not None:
            self._events.publish(Event(tenant, "task", task_id, {"change": change}))

    # --- tasks -------------------------------------------------------------------------------

    async def create(
        self,
        tenant: str,
        *,
        namespace: str,
        title: str,
        description: str = "",
        type: TaskType = TaskType.TASK,
        priority: int = 2,
        phase: Phase = Phase.UNSCOPED,
        owner: str | None = None,
        notes: str | None = None,
    ) -> Task:
        validate_namespace(namespace)
        fields = {
            "id": new_id(namespace),
            "namespace": namespace,
            "title": check_text(title, "title", limit=MAX_TITLE, required=True),
            "description": check_text(description, "description"),
            "type": type.value,
            "priority": check_priority(priority),
            "phase": phase.value,
            "owner": check_text(owner, "owner", limit=MAX_TITLE) if owner else None,
            "notes": check_text(notes, "notes") if notes else None,
        }
        task = await self.repo.create(tenant, fields, now_ms())
        self._announce(tenant, task.id, "CREATED")
        return task

    async def get(self, tenant: str, task_id: str) -> Task | None:
        task_id_arg(task_id)
        return (await self.repo.get_many(tenant, [task_id])).get(task_id)

    async def get_many(self, tenant: str, ids: Sequence[str]) -> dict[str, Task]:
        return await self.repo.get_many(tenant, ids)

    async def update(self, tenant: str, task_id: str, changes: dict[str, Any]) -> Task:
        """Partial update: only keys present change; owner/notes may be set to None (cleared)."""
        task_id_arg(task_id)
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            if key in {"title", "description", "status", "priority", "phase"} and value is None:
                raise BadUserInput(f"{key} cannot be null", field=key)
            if key == "title":
                clean[key] = check_text(value, "title", limit=MAX_TITLE, required=True)
            elif key == "description":
                clean[key] = check_text(value, "description")
            elif key == "priority":
                clean[key] = check_priority(value)
            elif key in {"status", "phase"}:
                clean[key] = value.value
            elif key in {"owner", "notes"}:
                clean[key] = None if value is None else check_text(value, key)
            else:
                raise BadUserInput(f"{key} cannot be updated", field=key)
        now = now_ms()

        async def work(tx: Tx) -> Task | None:
            # The task as it was, read in the same transaction: the audit event's "before".
            before = (await self.repo.get_many_in(tx, [task_id])).get(task_id)
            if before is None:
                return None
            after = await self.repo.update_in(tx, task_id, clean, now)
            if after is not None:
                note_change(
                    task_id,
                    {k: _plain(getattr(before, k)) for k in clean},
                    {k: _plain(getattr(after, k)) for k in clean},
                )
            return after

        task = await self.repo.write_tx("tracker/update_task", work, tenant=tenant)
        if task is None:
            raise NotFound(f"no task {task_id!r}", field="id")
        self._announce(tenant, task_id, "UPDATED")
        return task

    async def close(self, tenant: str, task_id: str, reason: str) -> Task:
        task_id_arg(task_id)
        check_text(reason, "reason", limit=MAX_TITLE * 4, required=True)
        now = now_ms()

        async def work(tx: Tx) -> tuple[bool, Task] | None:
            found = await self.repo.close_in(tx, task_id, reason, now)
            if found is not None and not found[0]:
                closed = found[1]
                note_change(
                    task_id,
                    {"closed": False},
                    {"closed": True, "status": _plain(closed.status), "close_reason": reason},
                )
            return found

        found = await self.repo.write_tx("tracker/close_task", work, tenant=tenant)
        if found is None:
            raise NotFound(f"no task {task_id!r}", field="id")
        was_closed, task = found
        if was_closed:
            raise AlreadyClosed(f"task {task_id!r} is closed already", id=task_id)
        self._announce(tenant, task_id, "CLOSED")
        return task

    async def list_page(self, tenant: str, filters: TaskFilter, page: PageRequest) -> Slice[Task]:
        after = page.key(int, str)
        if filters.priority is not None:
            check_priority(filters.priority)
        if filters.namespace is not None:
            validate_namespace(filters.namespace)
        params = {
            "status": filters.status.value if filters.status else None,
            "priority": filters.priority,
            "type": filters.type.value if filters.type else None,
            "phase": filters.phase.value if filters.phase else None,
            "label": check_label(filters.label) if filters.label is not None else None,
            "namespace": filters.namespace,
        }
        return await self.repo.list_page(
            tenant, params, (after[0], after[1]) if after else None, page.size + 1
        )

    async def ready_or_blocked(
        self, tenant: str, *, blocked: bool, namespace: str | None, page: PageRequest
    ) -> Slice[Task]:
        after = page.key(int, int, str)
        if namespace is not None:
            validate_namespace(namespace)
        return await self.repo.list_ready_or_blocked(
            tenant,
            blocked=blocked,
            namespace=namespace,
            after=(after[0], after[1], after[2]) if after else None,
            limit=page.size + 1,
        )

    # --- labels and comments -----------------------------------------------------------------

    async def set_label(self, tenant: str, task_id: str, label: str, *, add: bool) -> Task:
        task_id_arg(task_id, "task_id")
        task = await self.repo.set_label(tenant, task_id, check_label(label), now_ms(), add=add)
        if task is None:
            raise NotFound(f"no task {task_id!r}", field="task_id")
        self._announce(tenant, task_id, "LABELED")
        return task

    async def add_comment(self, tenant: str, task_id: str, author_id: str, body: str) -> Comment:
        namespace, _ = split_namespaced_id(task_id, "task_id")
        validate_id(author_id, "agent_id")
        check_text(body, "body", required=True)
        comment = await self.repo.add_comment(
            tenant, new_id(namespace), task_id, author_id, body, now_ms()
        )
        if comment is None:
            missing = await self.repo.get_many(tenant, [task_id])
            if not missing:
                raise NotFound(f"no task {task_id!r}", field="task_id")
            raise NotFound(f"no agent {author_id!r}", field="agent_id")
        self._announce(tenant, task_id, "COMMENTED")
        return comment

    async def get_comments(self, tenant: str, ids: Sequence[str]) -> dict[str, Comment]:
        return await self.repo.get_comments(tenant, ids)

    async def comment_pages(
        self, tenant: str, ids: Sequence[str], page: PageRequest
    ) -> dict[str, Slice[Comment]]:
        """One page of each task's comments, oldest first; missing tasks are left out."""
        after = page.key(int, str)
        return await self.repo.comment_pages(
            tenant, ids, (after[0], after[1]) if after else None, page.size + 1
        )

    async def list_comments(self, tenant: str, task_id: str, page: PageRequest) -> Slice[Comment]:
        """One page of a task's comments; NOT_FOUND when the task is not the tenant's."""
        task_id_arg(task_id, "task_id")
        found = await self.comment_pages(tenant, [task_id], page)
        if task_id not in found:
            raise NotFound(f"no task {task_id!r}", field="task_id")
        return found[task_id]

    # --- edges -------------------------------------------------------------------------------

    async def add_edge(self, tenant: str, kind: EdgeKind, source: str, target: str) -> bool:
        added = await self._add_edge_queued(tenant, kind, source, target)
        if added:
            self._announce(tenant, source, "RELATIONS")
            self._announce(tenant, target, "RELATIONS")
        return added

    async def _add_edge_queued(self, tenant: str, kind: EdgeKind, source: str, target: str) -> bool:
        """Adds ``source -kind-> target``; True when created, False when it was there."""
        if kind not in TASK_EDGE_ENDS:
            raise BadUserInput(f"{kind.value} is not a task edge", field="kind")
        task_id_arg(source, "source")
        validate_id(target, "target")
        if kind is EdgeKind.BLOCKED_BY and source == target:
            raise CycleDetected("a task cannot be blocked by itself", source=source)
        if kind is not EdgeKind.BLOCKED_BY:
            return await self._add_edge(tenant, kind, source, target)
        async with self._queues.setdefault(tenant, asyncio.Lock()):
            await self._ensure_lock(tenant, now_ms())
            return await self._add_edge(tenant, kind, source, target)

    async def _add_edge(self, tenant: str, kind: EdgeKind, source: str, target: str) -> bool:
        want_source, want_target = TASK_EDGE_ENDS[kind]
        now = now_ms()

        async def work(tx: Tx) -> bool:
            if kind is EdgeKind.BLOCKED_BY and not await self.repo.touch_lock(tx, tenant):
                raise _LockMissing
            kinds = await self.repo.node_kinds(tx, tenant, [source, target])
            for end, node_id, label in (
                ("source", source, want_source),
                ("target", target, want_target),
            ):
                if node_id not in kinds:
                    raise NotFound(f"no node {node_id!r}", field=end)
                if kinds[node_id] != NODE_KIND[label]:
                    raise BadUserInput(
                        f"{kind.value} needs a {NODE_KIND[label]} as {end}; "
                        f"{node_id!r} is a {kinds[node_id]}",
                        field=end,
                    )
            # With the lock held, the check sees every committed blocked_by of this tenant.
            if kind is EdgeKind.BLOCKED_BY and await self.repo.waits_on(tx, tenant, target, source):
                raise CycleDetected(
                    f"{target!r} already waits on {source!r}: the edge would close a cycle",
                    source=source,
                    target=target,
                )
            created = await self.repo.add_edge(tx, tenant, kind, source, target, now)
            if created is None:  # an end vanished between the check and the write
                raise NotFound("an end of the edge no longer exists")
            return created

        try:
            return await self.repo.write_tx(f"tracker/add_{kind.value}", work, tenant=tenant)
        except _LockMissing:
            self._locks.discard(tenant)
            await self._ensure_lock(tenant, now)
            return await self.repo.write_tx(f"tracker/add_{kind.value}", work, tenant=tenant)

    async def _ensure_lock(self, tenant: str, now: int) -> None:
        if tenant in self._locks:
            return
        await self.repo.ensure_lock(tenant, now)
        self._locks.add(tenant)

    async def remove_edge(self, tenant: str, kind: EdgeKind, source: str, target: str) -> bool:
        if kind not in TASK_EDGE_ENDS:
            raise BadUserInput(f"{kind.value} is not a task edge", field="kind")
        task_id_arg(source, "source")
        validate_id(target, "target")
        removed = await self.repo.remove_edge(tenant, kind, source, target)
        if removed:
            self._announce(tenant, source, "RELATIONS")
            self._announce(tenant, target, "RELATIONS")
        return removed

    async def relation_pages(
        self,
        tenant: str,
        ids: Sequence[str],
        kinds: Sequence[EdgeKind] | None,
        page: PageRequest,
    ) -> dict[str, Slice[TaskEdge]]:
        """One page of each task's edges (both directions) of these kinds (default: every task
        edge kind), ordered by kind, source, target (``edge_sort_key``); missing tasks are left
        out."""
        for kind in kinds or ():
            if kind not in TASK_EDGE_ENDS:
                raise BadUserInput(f"{kind.value} is not a task edge", field="kinds")
        return await self.repo.relation_pages(
            tenant, ids, kinds or TASK_EDGE_KINDS, page.edge_key(), page.size + 1
        )

    async def relations(
        self, tenant: str, task_id: str, kinds: Sequence[EdgeKind] | None, page: PageRequest
    ) -> Slice[TaskEdge]:
        """One page of a task's edges; NOT_FOUND when the task is not the tenant's."""
        task_id_arg(task_id, "task_id")
        found = await self.relation_pages(tenant, [task_id], kinds, page)
        if task_id not in found:
            raise NotFound(f"no task {task_id!r}", field="task_id")
        return found[task_id]

    # --- traversals over blocked_by ----------------------------------------------------------

    def clamp(self, depth: int | None) -> DepthLimit:
        # A task's dependencies are followed as deep as allowed unless asked otherwise.
        return clamp_depth(depth, default=self.max_depth, maximum=self.max_depth, field="depth")

    async def traverse(
        self, tenant: str, task_id: str, depth: int | None, *, ancestors: bool
    ) -> TaskTraversalResult:
        """Ancestors: all the task transitively waits on; descendants: all that wait on it."""
        task_id_arg(task_id, "task_id")
        limit = self.clamp(depth)

        async def work(tx: Tx) -> TaskTraversalResult:
            walk = await self.repo.walk(
                tx, tenant, task_id, limit.used, blockers=ancestors, max_nodes=self.max_nodes
            )
            distance = {task_id: 0, **{i: v.distance for i, v in walk.visits.items()}}
            pairs = [(a, b) for a, _, b in walk.hops]
            truncated = walk.truncated
            tasks = await self.repo.get_many_in(tx, list(distance))
            if task_id not in tasks:
                raise NotFound(f"no task {task_id!r}", field="task_id")
            entries = sorted(
                (
                    ReachedTask(tasks[i], d)
                    for i, d in distance.items()
                    if i != task_id and i in tasks
                ),
                key=lambda r: (r.distance, r.task.priority, r.task.created_at, r.task.id),
            )
            edges = [
                TaskEdge(EdgeKind.BLOCKED_BY, *((a, b) if ancestors else (b, a)))
                for a, b in pairs
                if a in tasks and b in tasks
            ]
            return TaskTraversalResult(
                tasks[task_id], entries, limit, truncated, walk.beyond_depth, edges
            )

        return await self.repo.read_tx("tracker/traverse", work, tenant=tenant)

    async def dependency_tree(
        self, tenant: str, task_id: str, depth: int | None
    ) -> TaskTraversalResult:
        """Depth-first over blocked_by from the task; each task appears once (first visit)."""
        task_id_arg(task_id, "task_id")
        limit = self.clamp(depth)
        used = limit.used

        async def work(tx: Tx) -> TaskTraversalResult:
            walk = await self.repo.walk(
                tx, tenant, task_id, used, blockers=True, max_nodes=self.max_nodes
            )
            distance = {task_id: 0, **{i: v.distance for i, v in walk.visits.items()}}
            edges = [(a, b) for a, _, b in walk.hops]
            truncated = walk.truncated
            tasks = await self.repo.get_many_in(tx, list(distance))
            if task_id not in tasks:
                raise NotFound(f"no task {task_id!r}", field="task_id")
            children: dict[str, list[str]] = {}
            for parent, child in edges:
                children.setdefault(parent, []).append(child)
            entries: list[ReachedTask] = []
            seen = {task_id}
            # Explicit stack: (id, depth, parent), children pushed reversed to keep their order.
            stack = [(c, 1, task_id) for c in reversed(children.get(task_id, []))]
            while stack:
                node, d, parent = stack.pop()
                if node in seen or node not in tasks:
                    continue
                seen.add(node)
                entries.append(ReachedTask(tasks[node], d, parent))
                if d < used:
                    stack.extend((c, d + 1, node) for c in reversed(children.get(node, [])))
            walked = [
                TaskEdge(EdgeKind.BLOCKED_BY, a, b) for a, b in edges if a in tasks and b in tasks
            ]
            return TaskTraversalResult(
                tasks[task_id], entries, limit, truncated, walk.beyond_depth, walked
            )

        return await self.repo.read_tx("tracker/dependency_tree", work, tenant=tenant)


class _LockMissing(Exception):
    """The tenant lock vanished (for example the tenant's data was wiped): make it again."""


class AgentService:
    def __init__(
        self, agents: AgentRepository, activities: ActivityRepository, models: ModelRegistry
    ) -> None:
        self.agents = agents
        self.activities = activities
        self.models = models

    async def create(
        self, tenant: str, namespace: str, kind: AgentKind, fields: dict[str, Any]
    ) -> Agent:
        agent_id = new_id(namespace)
        clean: dict[str, Any] = {}
        for key, value in fields.items():
            if isinstance(value, Role):
                clean[key] = value.value
            elif value is not None:
                clean[key] = check_text(value, key, limit=1000)
        if kind is AgentKind.ML:
            clean["provider"] = self.models.check(clean.get("provider", ""), clean.get("model", ""))
        elif not (clean.get("name") or "").strip():
            raise BadUserInput("name must not be empty", field="name")
        return await self.agents.create(tenant, agent_id, kind, clean, now_ms())

    async def get_many(self, tenant: str, ids: Sequence[str]) -> dict[str, Agent]:
        return await self.agents.get_many(tenant, ids)

    async def get(self, tenant: str, agent_id: str, kind: AgentKind | None = None) -> Agent:
        """One agent; NOT_FOUND when missing, AGENT_KIND_MISMATCH when of another kind."""
        agent = await self.find(tenant, agent_id, kind)
        if agent is None:
            raise NotFound(f"no agent {agent_id!r}", field="id")
        return agent

    async def find(self, tenant: str, agent_id: str, kind: AgentKind | None = None) -> Agent | None:
        """One agent, or None when missing; AGENT_KIND_MISMATCH when of another kind."""
        validate_id(agent_id)
        agent = (await self.agents.get_many(tenant, [agent_id])).get(agent_id)
        if agent is None:
            return None
        if kind is not None and agent.agent_kind is not kind:
            raise AgentKindMismatch(
                f"agent {agent_id!r} is a {agent.agent_kind.value} agent, not {kind.value}",
                field="id",
                actual=agent.agent_kind.value,
            )
        return agent

    async def list_page(
        self, tenant: str, kind: AgentKind | None, page: PageRequest
    ) -> Slice[Agent]:
        after = page.key(int, str)
        return await self.agents.list_page(
            tenant, kind, (after[0], after[1]) if after else None, page.size + 1
        )

    # --- activities --------------------------------------------------------------------------

    async def start_activity(
        self,
        tenant: str,
        *,
        agent_id: str,
        phase: Phase,
        stage: Stage,
        notes: str | None,
        activity_id: str | None = None,
        namespace: str | None = None,
    ) -> tuple[Activity, bool]:
        """``(activity, created)``; a replay of a caller-supplied id returns the existing one."""
        validate_id(agent_id, "agent_id")
        if activity_id is not None:
            validate_id(activity_id, "id")
        elif namespace is not None:
            activity_id = new_id(namespace)
        else:
            raise BadUserInput("give an id or a namespace", field="namespace")
        fields = {
            "id": activity_id,
            "agent_id": agent_id,
            "phase": phase.value,
            "stage": stage.value,
            "notes": check_text(notes, "notes") if notes else None,
            "now": now_ms(),
        }
        new_id_ = activity_id

        async def work(tx: Tx) -> tuple[Activity, bool]:
            existing = await self.activities.get_in(tx, tenant, new_id_)
            if existing is not None:
                return existing, False
            made = await self.activities.create_in(tx, tenant, fields)
            if made is None:
                raise NotFound(f"no agent {agent_id!r}", field="agent_id")
            return made, True

        try:
            return await self.activities.write_tx("tracker/start", work, tenant=tenant)
        except Conflict:
            # Two replays of one new id at once (ArcadeDB): the other committed; return it.
            return await self.activities.write_tx("tracker/start", work, tenant=tenant)

    async def end_activity(self, tenant: str, activity_id: str, stage: Stage | None) -> Activity:
        validate_id(activity_id)
        activity = await self.activities.end(tenant, activity_id, stage, now_ms())
        if activity is None:
            raise NotFound(f"no activity {activity_id!r}", field="id")
        return activity

    async def find_activity(self, tenant: str, activity_id: str) -> Activity | None:
        validate_id(activity_id, "id")
        return (await self.activities.get_many(tenant, [activity_id])).get(activity_id)

    async def get_activities(self, tenant: str, ids: Sequence[str]) -> dict[str, Activity]:
        return await self.activities.get_many(tenant, ids)

    async def list_activities(
        self, tenant: str, agent_id: str | None, page: PageRequest
    ) -> Slice[Activity]:
        if agent_id is not None:
            validate_id(agent_id, "agent_id")
        after = page.key(int, str)
        return await self.activities.list_page(
            tenant, agent_id, (after[0], after[1]) if after else None, page.size + 1
        )
