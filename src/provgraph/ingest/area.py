"""Ingest: OTLP traces (OTel GenAI conventions) and Claude Code hook events, as runs."""

from __future__ import annotations

from provgraph.core.area import Area, AreaDeps
from provgraph.ingest.routes import ROUTES
from provgraph.ingest.service import IngestService
from provgraph.runs.service import RunService


def build(deps: AreaDeps) -> list[object]:
    # Recorded through the runs area's own service (built before this area).
    return [IngestService(deps.service(RunService), deps.settings)]


AREA = Area(name="ingest", build=build, uses=("runs",), routes=ROUTES)
