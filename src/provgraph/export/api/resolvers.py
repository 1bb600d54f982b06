"""Export Query fields: thin, each one service call."""

from __future__ import annotations

import strawberry

from provgraph.core.api.context import Info
from provgraph.export.api.types import ExportDirection, OtlpExport, ProvExport
from provgraph.export.prov_rules import ProvFormat
from provgraph.export.service import ExportService, Scope


def _scope(
    run_id: str | None,
    session_id: str | None,
    node_id: str | None,
    direction: ExportDirection,
    depth: int | None,
) -> Scope:
    """What both export fields take: one of runId, sessionId, nodeId (with direction, depth)."""
    return Scope(
        run_id=run_id,
        session_id=session_id,
        node_id=node_id,
        ancestors=direction is ExportDirection.ANCESTORS,
        depth=depth,
    )


@strawberry.type
class ExportQuery:
    @strawberry.field(
        description="A W3C PROV document of one run, of a session's runs (sessionId), or of a "
        "node's ancestors or descendants (nodeId, direction, depth as in ancestors): give "
        "exactly one of runId, sessionId, nodeId. Runs and tool calls are activities; other "
        "run nodes entities; run agents agents (README: PROV mapping). NOT_FOUND for a "
        "missing run or node; BAD_USER_INPUT for a run over PROVGRAPH_MAX_RESULT_NODES."
    )
    async def prov_document(
        self,
        info: Info,
        run_id: str | None = None,
        session_id: str | None = None,
        node_id: str | None = None,
        direction: ExportDirection = ExportDirection.ANCESTORS,
        depth: int | None = None,
        format: ProvFormat = ProvFormat.PROV_JSON,
    ) -> ProvExport:
        scope = _scope(run_id, session_id, node_id, direction, depth)
        doc = await info.context.service(ExportService).prov(info.context.tenant, scope, format)
        return ProvExport.of(doc)

    @strawberry.field(
        description="One run, a session's runs (sessionId), or a node's ancestors or "
        "descendants (nodeId, direction, depth as in ancestors) as an OTLP/JSON trace request "
        "with the OTel GenAI conventions, for any OTel backend: give exactly one of runId, "
        "sessionId, nodeId. Spans that came in through /v1/traces go out unchanged; other runs "
        "become invoke_agent spans, decisions chat spans, tool calls execute_tool spans with "
        "their results, other nodes spans keeping their fields; triggered edges parents, "
        "other edges links (README: OTLP export). NOT_FOUND for a missing run or node."
    )
    async def otlp_document(
        self,
        info: Info,
        run_id: str | None = None,
        session_id: str | None = None,
        node_id: str | None = None,
        direction: ExportDirection = ExportDirection.ANCESTORS,
        depth: int | None = None,
    ) -> OtlpExport:
        scope = _scope(run_id, session_id, node_id, direction, depth)
        doc = await info.context.service(ExportService).otlp(info.context.tenant, scope)
        return OtlpExport.of(doc)
