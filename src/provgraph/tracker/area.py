"""The task tracker: tasks and their edges, labels, comments; agents and activities."""

from __future__ import annotations

from provgraph.core.area import Area, AreaDeps
from provgraph.tracker.agent_repository import ActivityRepository, AgentRepository
from provgraph.tracker.api.resolvers import TrackerMutation, TrackerQuery
from provgraph.tracker.api.subscriptions import TrackerSubscription
from provgraph.tracker.model_registry import ModelRegistry
from provgraph.tracker.repository import TaskRepository
from provgraph.tracker.service import AgentService, TaskService


def build(deps: AreaDeps) -> list[object]:
    settings = deps.settings
    return [
        TaskService(TaskRepository(deps.executor), settings, deps.events),
        AgentService(
            AgentRepository(deps.executor),
            ActivityRepository(deps.executor),
            ModelRegistry.load(settings.extra_models),
        ),
    ]


AREA = Area(
    name="tracker",
    build=build,
    query=TrackerQuery,
    mutation=TrackerMutation,
    subscription=TrackerSubscription,
)
