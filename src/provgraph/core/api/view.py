"""Strawberry's ASGI view with provgraph's context and error format."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from provgraph.core.api.body import BodyRefused, decode_request_json
from provgraph.core.api.context import Context, Principal
from provgraph.core.api.errors import format_error
from provgraph.core.api.http import error_response
from provgraph.core.api.state import AppState


class ProvgraphGraphQL(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except BodyRefused as exc:
            # Raised while reading the request, before any response was started.
            await error_response(400, exc.code, exc.message)(scope, receive, send)

    def decode_json(self, data: str | bytes) -> Any:
        """Request JSON (POST bodies, GET variables): checked, refused with HTTP 400."""
        return decode_request_json(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state: AppState = request.app.state.provgraph
        # Set by core.api.http.GraphQLEndpoint after authentication.
        principal: Principal = request.scope["state"]["principal"]
        return Context(
            request=request,
            response=response,
            services=state.services,
            settings=state.settings,
            principal=principal,
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data
