"""Agent runs: recorded provenance graphs, their traversals, diffs and verification."""

from __future__ import annotations

from provgraph.core.area import Area, AreaDeps
from provgraph.runs.api.resolvers import RunMutation, RunQuery
from provgraph.runs.api.subscriptions import RunSubscription
from provgraph.runs.repository import RunRepository
from provgraph.runs.service import RunService


def build(deps: AreaDeps) -> list[object]:
    return [RunService(RunRepository(deps.executor), deps.settings, deps.events)]


# A run's agent is the tracker's agent (Run.agent resolves through the tracker's loaders).
AREA = Area(
    name="runs",
    build=build,
    query=RunQuery,
    mutation=RunMutation,
    subscription=RunSubscription,
    uses=("tracker",),
)
