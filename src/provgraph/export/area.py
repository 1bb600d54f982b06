"""Export: runs, sessions and traversal answers as PROV (JSON, N, O) and OTLP JSON."""

from __future__ import annotations

from provgraph.core.area import Area, AreaDeps
from provgraph.export.api.resolvers import ExportQuery
from provgraph.export.service import ExportService
from provgraph.runs.service import RunService
from provgraph.tracker.service import AgentService


def build(deps: AreaDeps) -> list[object]:
    # Read through the runs and tracker areas' own services (built before this area).
    return [ExportService(deps.service(RunService), deps.service(AgentService), deps.settings)]


AREA = Area(name="export", build=build, query=ExportQuery, uses=("runs", "tracker"))
