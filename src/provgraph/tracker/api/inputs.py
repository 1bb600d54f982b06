"""GraphQL inputs of the task tracker."""

from __future__ import annotations

import strawberry

from provgraph.tracker import records as d
from provgraph.tracker.api.types import AgentRole, Phase, Stage, TaskStatus, TaskType


@strawberry.input(description="A new task; its id is made from the namespace.")
class CreateTaskInput:
    namespace: str = strawberry.field(
        description="A slug or URI, e.g. `https://github.com/owner/repo` or `file:///path`."
    )
    title: str
    description: str = ""
    type: TaskType = d.TaskType.TASK
    priority: int = strawberry.field(default=d.DEFAULT_PRIORITY, description="0 critical … 4.")
    phase: Phase = d.Phase.UNSCOPED
    owner: str | None = None
    notes: str | None = None


@strawberry.input(description="Fields to change; omitted fields stay, null clears owner/notes.")
class UpdateTaskInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: TaskStatus | None = strawberry.UNSET
    priority: int | None = strawberry.UNSET
    phase: Phase | None = strawberry.UNSET
    owner: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(description="Filters of the task list; each applies when given.")
class TaskFilterInput:
    status: TaskStatus | None = None
    priority: int | None = None
    type: TaskType | None = None
    phase: Phase | None = None
    label: str | None = None
    namespace: str | None = None


@strawberry.input
class CreateHumanAgentInput:
    namespace: str
    name: str
    contact: str | None = None


@strawberry.input(description="An ML agent; provider and model must be in the model registry.")
class CreateMlAgentInput:
    namespace: str
    role: AgentRole
    provider: str
    model: str


@strawberry.input
class CreateSoftwareAgentInput:
    namespace: str
    name: str
    version: str | None = None
    source: str | None = None


@strawberry.input(
    description="Start an activity. With `id`, a replay returns the existing activity."
)
class StartActivityInput:
    agent_id: str
    phase: Phase = d.Phase.UNSCOPED
    stage: Stage = d.Stage.IN_PROGRESS
    notes: str | None = None
    id: str | None = strawberry.field(default=None, description="Caller-supplied id.")
    namespace: str | None = strawberry.field(
        default=None, description="Namespace of a server-made id (when `id` is omitted)."
    )
