"""Task repository: named Cypher under ``cypher/tracker/`` turned into domain records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from provgraph.core.domain.paging import Slice
from provgraph.core.domain.vocabulary import EdgeKind, RelType
from provgraph.core.store import edge_pages, tenant_lock
from provgraph.core.store.executor import Executor, Row, Tx
from provgraph.core.store.registry import query
from provgraph.core.store.traversal import Walk, breadth_first
from provgraph.tracker.records import Comment, Phase, Task, TaskEdge, TaskStatus, TaskType

T = TypeVar("T")

BLOCKED_BY = RelType.BLOCKED_BY.value

CREATE_TASK = query("tracker/create_task")
GET_TASKS = query("tracker/get_tasks")
UPDATE_TASK = query("tracker/update_task")
CLOSE_TASK = query("tracker/close_task")
LIST_TASKS = query("tracker/list_tasks")
LIST_READY = query("tracker/list_ready")
LIST_BLOCKED = query("tracker/list_blocked")
ADD_LABEL = query("tracker/add_label")
REMOVE_LABEL = query("tracker/remove_label")
NODE_KINDS = query("tracker/node_kinds")
FIND_BLOCKING_PATH = query("tracker/find_blocking_path")
REMOVE_EDGE = query("tracker/remove_edge")
PAGE_RELATIONS = query("tracker/page_relations")
BLOCKERS_OF = query("tracker/blockers_of")
DEPENDENTS_OF = query("tracker/dependents_of")
CREATE_COMMENT = query("tracker/create_comment")
GET_COMMENTS = query("tracker/get_comments")
PAGE_COMMENTS = query("tracker/page_comments")


ADD_EDGE: dict[EdgeKind, str] = {
    EdgeKind.BLOCKED_BY: query("tracker/add_blocked_by"),
    EdgeKind.DERIVED_FROM: query("tracker/add_derived_from"),
    EdgeKind.SUPERSEDES: query("tracker/add_supersedes"),
    EdgeKind.DISCOVERED_FROM: query("tracker/add_discovered_from"),
    EdgeKind.GENERATED_BY: query("tracker/add_generated_by"),
    EdgeKind.ATTRIBUTED_TO: query("tracker/add_attributed_to"),
}


def to_task(row: Row) -> Task:
    return Task(
        id=row["id"],
        namespace=row["namespace"],
        title=row["title"],
        description=row["description"] or "",
        type=TaskType(row["type"]),
        status=TaskStatus(row["status"]),
        priority=int(row["priority"]),
        phase=Phase(row["phase"]),
        owner=row["owner"],
        notes=row["notes"],
        labels=tuple(row["labels"] or ()),
        close_reason=row["close_reason"],
        created_at=int(row["created_at"]),
        updated_at=int(row["updated_at"]),
        closed_at=row["closed_at"],
    )


def _task_slice(rows: list[Row]) -> Slice[Task]:
    """A ``total, page`` row: the page's tasks and the count of all that matched."""
    if not rows:
        return Slice([], 0)
    return Slice([to_task(r) for r in rows[0]["page"]], int(rows[0]["total"]))


def to_comment(row: Row) -> Comment:
    return Comment(
        id=row["id"],
        task_id=row["task_id"],
        author_id=row["author_id"],
        body=row["body"],
        created_at=int(row["created_at"]),
        seq=int(row["seq"] or 0),
    )


class TaskRepository:
    def __init__(self, executor: Executor) -> None:
        self._ex = executor

    async def create(self, tenant: str, fields: dict[str, Any], now: int) -> Task:
        rows = await self._ex.write(CREATE_TASK, {"now": now, **fields}, tenant=tenant)
        return to_task(rows[0])

    async def get_many(self, tenant: str, ids: Sequence[str]) -> dict[str, Task]:
        rows = await self._ex.read(GET_TASKS, {"ids": list(ids)}, tenant=tenant)
        return {r["id"]: to_task(r) for r in rows}

    @staticmethod
    async def get_many_in(tx: Tx, ids: Sequence[str]) -> dict[str, Task]:
        """As ``get_many``, in a transaction already open (the same snapshot)."""
        return {r["id"]: to_task(r) for r in await tx.run(GET_TASKS, {"ids": list(ids)})}

    @staticmethod
    async def update_in(tx: Tx, task_id: str, changes: dict[str, Any], now: int) -> Task | None:
        rows = await tx.run(UPDATE_TASK, {"id": task_id, "changes": changes, "now": now})
        return to_task(rows[0]) if rows else None

    @staticmethod
    async def close_in(tx: Tx, task_id: str, reason: str, now: int) -> tuple[bool, Task] | None:
        """``(was_closed_before, task)``, or None when the task does not exist."""
        rows = await tx.run(CLOSE_TASK, {"id": task_id, "reason": reason, "now": now})
        if not rows:
            return None
        return bool(rows[0]["was_closed"]), to_task(rows[0])

    async def list_page(
        self, tenant: str, filters: dict[str, Any], after: tuple[int, str] | None, limit: int
    ) -> Slice[Task]:
        params = {
            **filters,
            "after_created": after[0] if after else None,
            "after_id": after[1] if after else None,
            "limit": limit,
        }
        return _task_slice(await self._ex.read(LIST_TASKS, params, tenant=tenant))

    async def list_ready_or_blocked(
        self,
        tenant: str,
        *,
        blocked: bool,
        namespace: str | None,
        after: tuple[int, int, str] | None,
        limit: int,
    ) -> Slice[Task]:
        params = {
            "namespace": namespace,
            "after_priority": after[0] if after else None,
            "after_created": after[1] if after else None,
            "after_id": after[2] if after else None,
            "limit": limit,
        }
        rows = await self._ex.read(LIST_BLOCKED if blocked else LIST_READY, params, tenant=tenant)
        return _task_slice(rows)

    async def set_label(
        self, tenant: str, task_id: str, label: str, now: int, *, add: bool
    ) -> Task | None:
        params = {"id": task_id, "label": label, "now": now}
        rows = await self._ex.write(ADD_LABEL if add else REMOVE_LABEL, params, tenant=tenant)
        return to_task(rows[0]) if rows else None

    # --- edges -------------------------------------------------------------------------------

    async def ensure_lock(self, tenant: str, now: int) -> None:
        await tenant_lock.ensure(self._ex, tenant, now)

    @staticmethod
    async def node_kinds(tx: Tx, tenant: str, ids: Sequence[str]) -> dict[str, str]:
        rows = await tx.run(NODE_KINDS, {"ids": list(ids)})
        return {r["id"]: r["kind"] for r in rows}

    @staticmethod
    async def touch_lock(tx: Tx, tenant: str) -> bool:
        return await tenant_lock.take(tx, tenant)

    @staticmethod
    async def waits_on(tx: Tx, tenant: str, waiter: str, blocker: str) -> bool:
        """True when ``waiter`` already reaches ``blocker`` over BLOCKED_BY."""
        params = {"from": waiter, "to": blocker}
        return bool(await tx.run(FIND_BLOCKING_PATH, params))

    @staticmethod
    async def add_edge(
        tx: Tx, tenant: str, kind: EdgeKind, source: str, target: str, now: int
    ) -> bool | None:
        """True when created, False when already there, None when an end is missing."""
        params = {"source": source, "target": target, "now": now}
        rows = await tx.run(ADD_EDGE[kind], params)
        return bool(rows[0]["created"]) if rows else None

    async def remove_edge(self, tenant: str, kind: EdgeKind, source: str, target: str) -> bool:
        params = {
            "start": source,
            "end": target,
            "rel_type": kind.spec.rel_type.value,
        }
        rows = await self._ex.write(REMOVE_EDGE, params, tenant=tenant)
        return bool(rows and rows[0]["removed"])

    async def relation_pages(
        self,
        tenant: str,
        ids: Sequence[str],
        kinds: Sequence[EdgeKind],
        after: tuple[EdgeKind, str, str] | None,
        limit: int,
    ) -> dict[str, Slice[TaskEdge]]:
        """Per existing task: at most ``limit`` of its edges of these kinds after the cursor
        (order: ``edge_pages``), and how many it has in all."""
        params = {
            "ids": list(ids),
            "rel_types": [k.spec.rel_type.value for k in kinds],
            **edge_pages.order_params(after),
            "limit": limit,
        }
        return {
            r["task_id"]: Slice(
                [TaskEdge(*edge_pages.edge_of(e)) for e in r["page"]], int(r["total"])
            )
            for r in await self._ex.read(PAGE_RELATIONS, params, tenant=tenant)
        }

    @staticmethod
    async def walk(
        tx: Tx, tenant: str, root: str, depth: int, *, blockers: bool, max_nodes: int
    ) -> Walk:
        """Breadth-first over BLOCKED_BY from ``root``: towards what it waits on
        (``blockers``) or what waits on it; one query per level, one more to tell whether
        the depth cut anything off."""
        name = BLOCKERS_OF if blockers else DEPENDENTS_OF

        async def expand(ids: list[str]) -> list[dict[str, Any]]:
            rows = await tx.run(name, {"ids": ids})
            return [{"from_id": r["from_id"], "type": BLOCKED_BY, "id": r["to_id"]} for r in rows]

        return await breadth_first(expand, root, depth, max_nodes=max_nodes, probe_beyond=True)

    async def read_tx(self, label: str, work: Callable[[Tx], Awaitable[T]], *, tenant: str) -> T:
        return await self._ex.read_tx(label, work, tenant=tenant)

    async def write_tx(self, label: str, work: Callable[[Tx], Awaitable[T]], *, tenant: str) -> T:
        return await self._ex.write_tx(label, work, tenant=tenant)

    # --- comments ----------------------------------------------------------------------------

    async def add_comment(
        self, tenant: str, comment_id: str, task_id: str, author_id: str, body: str, now: int
    ) -> Comment | None:
        params = {
            "id": comment_id,
            "task_id": task_id,
            "author_id": author_id,
            "body": body,
            "now": now,
        }
        rows = await self._ex.write(CREATE_COMMENT, params, tenant=tenant)
        return to_comment(rows[0]) if rows else None

    async def get_comments(self, tenant: str, ids: Sequence[str]) -> dict[str, Comment]:
        rows = await self._ex.read(GET_COMMENTS, {"ids": list(ids)}, tenant=tenant)
        return {r["id"]: to_comment(r) for r in rows}

    async def comment_pages(
        self, tenant: str, ids: Sequence[str], after: tuple[int, str] | None, limit: int
    ) -> dict[str, Slice[Comment]]:
        """Per existing task: at most ``limit`` of its comments after the cursor ``(seq, id)``,
        oldest first, and how many it has in all."""
        params = {
            "ids": list(ids),
            "after_seq": after[0] if after else 0,
            "after_id": after[1] if after else "",
            "limit": limit,
        }
        return {
            r["task_id"]: Slice(
                [to_comment({**c, "task_id": r["task_id"]}) for c in r["page"]], int(r["total"])
            )
            for r in await self._ex.read(PAGE_COMMENTS, params, tenant=tenant)
        }
