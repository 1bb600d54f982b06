"""Strawberry's ASGI view with provgraph's context and error format."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from provgraph.core.api.context import Context, Principal
from provgraph.core.api.errors import format_error
from provgraph.core.api.state import AppState
from provgraph.web.pages import graphiql_page


class ProvgraphGraphQL(GraphQL[Context, None]):
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

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # provgraph's own GraphiQL build (web/), served from the wheel: no CDN.
        return graphiql_page()
