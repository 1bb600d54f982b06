"""Strawberry's ASGI view with provgraph's context and error format."""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from provgraph.core.api.auth import TENANT_HEADER
from provgraph.core.api.body import BodyRefused, decode_request_json
from provgraph.core.api.context import Context, Principal
from provgraph.core.api.errors import format_error
from provgraph.core.api.http import error_response
from provgraph.core.api.state import AppState
from provgraph.core.domain.errors import ProvgraphError
from provgraph.web.pages import graphiql_page

# No tenant has the empty name: a socket before its connection_init can see nothing.
ANONYMOUS = Principal(tenant="", read_only=True)


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

    def encode_json(self, data: object) -> str:
        """Responses (HTTP bodies, websocket messages) as JSON through orjson: a 5,000-node
        answer is ~1 MB, which ``json.dumps`` spent ~10% of the request's CPU on. A ``str``,
        not orjson's bytes: Strawberry sends bytes over a websocket as binary frames, and
        graphql-transport-ws clients (browsers') read text frames only. What orjson refuses
        (an integer past 64 bits or a lone surrogate in a ``JSON`` scalar's value) goes
        through ``json.dumps`` as before."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # orjson.JSONEncodeError
            return json.dumps(data, separators=(",", ":"))

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state: AppState = request.app.state.provgraph
        # Set by core.api.http.GraphQLEndpoint after authentication; a websocket is
        # authenticated by its connection_init (on_ws_connect), and until then sees nothing.
        principal: Principal = (
            ANONYMOUS if isinstance(request, WebSocket) else request.scope["state"]["principal"]
        )
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

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """graphql-transport-ws ``connection_init``: the same keys as HTTP, in the payload as
        ``{"Authorization": "Bearer <key>"}`` (or ``{"apiKey": "<key>"}``; an
        ``X-Provgraph-Tenant`` entry is checked as the header is). Refused (close 4403) before
        any subscription runs when the key is missing where required, invalid or revoked."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        lowered = {str(k).lower(): v for k, v in params.items()}
        header = lowered.get("authorization")
        if header is None and isinstance(lowered.get("apikey"), str):
            header = f"Bearer {lowered['apikey']}"
        asked = lowered.get(TENANT_HEADER)
        state: AppState = context.request.app.state.provgraph
        try:
            context.principal = await state.authenticate.check(
                header if isinstance(header, str) else None,
                asked if isinstance(asked, str) else None,
            )
        except ProvgraphError as exc:
            raise ConnectionRejectionError({"code": exc.code, "message": exc.message}) from None
        unset: UnsetType = UNSET
        return unset

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # provgraph's own GraphiQL build (web/), served from the wheel: no CDN.
        return graphiql_page()
