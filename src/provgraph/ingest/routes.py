"""The ingest HTTP routes, guarded like /graphql (body limit, API key, read-only keys refused)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from provgraph.core.api.http import audited, guard, refusal
from provgraph.core.domain.errors import ProvgraphError
from provgraph.ingest.service import IngestService

log = logging.getLogger(__name__)


async def otlp_traces(request: Request) -> Response:
    try:
        got = await guard(request, write=True)
        with audited(got, "ingestOtlpTraces"):
            body, media_type = await got.state.services.get(IngestService).otlp_traces(
                got.principal.tenant,
                got.body,
                request.headers.get("content-type"),
                request.headers.get("content-encoding"),
            )
    except ProvgraphError as exc:
        return refusal(exc)
    return Response(body, media_type=media_type)


async def claude_code_hook(request: Request) -> Response:
    try:
        got = await guard(request, write=True)
        with audited(got, "ingestClaudeCodeHook"):
            answer = await got.state.services.get(IngestService).claude_hook(
                got.principal.tenant, got.body
            )
    except ProvgraphError as exc:
        return refusal(exc)
    return JSONResponse(answer)


ROUTES = (
    Route("/v1/traces", otlp_traces, methods=["POST"]),
    Route("/hooks/claude-code", claude_code_hook, methods=["POST"]),
)
