"""The task tracker's domain: enums, records and rules that need no database.

Tasks, agents, activities and comments are graph nodes (``:Node:Task`` …). Their enums are
stored as lower-case strings; priority is an int, 0 critical … 4 backlog.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from provgraph.core.domain.errors import BadUserInput, Conflict
from provgraph.core.domain.vocabulary import EdgeKind, NodeLabel

MIN_PRIORITY = 0
MAX_PRIORITY = 4
DEFAULT_PRIORITY = 2
MAX_TITLE = 500
MAX_TEXT = 100_000
MAX_LABEL = 100


class TaskType(StrEnum):
    BUG = "bug"
    FEATURE = "feature"
    TASK = "task"
    EPIC = "epic"
    CHORE = "chore"


class TaskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Phase(StrEnum):
    REQUEST = "request"
    ELICIT = "elicit"
    PROPOSE = "propose"
    REVIEW = "review"
    PLAN_UAT = "plan_uat"
    RATIFY = "ratify"
    HANDOFF = "handoff"
    IMPL_PLAN = "impl_plan"
    WORKER_SLICES = "worker_slices"
    CODE_REVIEW = "code_review"
    IMPL_UAT = "impl_uat"
    LANDING = "landing"
    UNSCOPED = "unscoped"


class Stage(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    COMPLETE = "complete"


class AgentKind(StrEnum):
    HUMAN = "human"
    ML = "ml"
    SOFTWARE = "software"


class Role(StrEnum):
    HUMAN = "human"
    ARCHITECT = "architect"
    SUPERVISOR = "supervisor"
    WORKER = "worker"
    REVIEWER = "reviewer"


class AlreadyClosed(Conflict):
    code = "ALREADY_CLOSED"


class CycleDetected(Conflict):
    code = "CYCLE_DETECTED"


class AgentKindMismatch(BadUserInput):
    code = "AGENT_KIND_MISMATCH"


# The node kind (the ``kind`` property) each tracker edge may start and end at. The Go
# library leaves this unchecked; here a wrong end is BAD_USER_INPUT and nothing is written.
TASK_EDGE_ENDS: dict[EdgeKind, tuple[NodeLabel, NodeLabel]] = {
    EdgeKind.BLOCKED_BY: (NodeLabel.TASK, NodeLabel.TASK),
    EdgeKind.DERIVED_FROM: (NodeLabel.TASK, NodeLabel.TASK),
    EdgeKind.SUPERSEDES: (NodeLabel.TASK, NodeLabel.TASK),
    EdgeKind.DISCOVERED_FROM: (NodeLabel.TASK, NodeLabel.TASK),
    EdgeKind.GENERATED_BY: (NodeLabel.TASK, NodeLabel.ACTIVITY),
    EdgeKind.ATTRIBUTED_TO: (NodeLabel.TASK, NodeLabel.AGENT),
}

# The ``kind`` property written on each node label.
NODE_KIND: dict[NodeLabel, str] = {
    NodeLabel.TASK: "task",
    NodeLabel.AGENT: "agent",
    NodeLabel.ACTIVITY: "activity",
    NodeLabel.COMMENT: "comment",
}


def check_priority(priority: int, field: str = "priority") -> int:
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        raise BadUserInput(
            f"{field} must be {MIN_PRIORITY} (critical) to {MAX_PRIORITY} (backlog)", field=field
        )
    return priority


def check_text(value: str, field: str, *, limit: int = MAX_TEXT, required: bool = False) -> str:
    if required and not value.strip():
        raise BadUserInput(f"{field} must not be empty", field=field)
    if len(value) > limit:
        raise BadUserInput(f"{field} may be at most {limit} characters", field=field)
    return value


def check_label(label: str) -> str:
    label = label.strip()
    if not label or len(label) > MAX_LABEL:
        raise BadUserInput(f"label must be 1-{MAX_LABEL} characters", field="label")
    return label


@dataclass(frozen=True)
class Task:
    id: str
    namespace: str
    title: str
    description: str
    type: TaskType
    status: TaskStatus
    priority: int
    phase: Phase
    owner: str | None
    notes: str | None
    labels: tuple[str, ...]
    close_reason: str | None
    created_at: int
    updated_at: int
    closed_at: int | None


@dataclass(frozen=True)
class Agent:
    id: str
    agent_kind: AgentKind
    created_at: int
    name: str | None = None
    contact: str | None = None
    role: Role | None = None
    provider: str | None = None
    model: str | None = None
    version: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Activity:
    id: str
    agent_id: str
    phase: Phase
    stage: Stage
    notes: str | None
    started_at: int
    ended_at: int | None


@dataclass(frozen=True)
class Comment:
    id: str
    task_id: str
    author_id: str | None
    body: str
    created_at: int
    seq: int = 0  # position in the task's comments (1, 2, ...): time order within one ms


@dataclass(frozen=True)
class TaskEdge:
    """A tracker edge in the client's orientation: ``source -kind-> target``."""

    kind: EdgeKind
    source: str
    target: str
