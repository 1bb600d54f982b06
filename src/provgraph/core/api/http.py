"""The HTTP edge of /graphql: body limit, authentication, typed JSON errors with status codes."""

from __future__ import annotations

import asyncio

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from provgraph.core.api.context import Principal
from provgraph.core.api.state import AppState
from provgraph.core.domain.errors import (
    EngineUnavailable,
    Forbidden,
    ProvgraphError,
    Unauthenticated,
)

# No tenant has the empty name, so this principal can see nothing and write nothing.
ANONYMOUS = Principal(tenant="", read_only=True)

# Only to find the operation type of a GET; the schema's own token limit applies afterwards.
MAX_GET_TOKENS = 20_000

_STATUS = {Unauthenticated: 401, Forbidden: 403, EngineUnavailable: 503}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers=headers,
    )


def _is_mutation_over_get(request: Request) -> bool:
    """GraphQL over HTTP: a GET that would run a mutation is 405 (parse errors go on as usual)."""
    if request.method != "GET" or "query" not in request.query_params:
        return False
    try:
        document = parse(request.query_params["query"], max_tokens=MAX_GET_TOKENS)
    except GraphQLError:
        return False
    wanted = request.query_params.get("operationName")
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if wanted is None or (o.name and o.name.value == wanted)]
    return len(chosen) == 1 and chosen[0].operation == OperationType.MUTATION


def _wants_ide(request: Request) -> bool:
    return (
        request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
        and "query" not in request.query_params
    )


class GraphQLEndpoint:
    """Wraps the Strawberry app; the principal it finds goes to the context via scope state."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, read_timeout: float = 10.0) -> None:
        self._app = app
        self._max = max_body_bytes
        self._read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        request = Request(scope, receive)
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self._max):
            await self._too_large()(scope, receive, send)
            return
        # Read the body here, bounded in size and time, whatever the client declared.
        chunks: list[bytes] = []
        size = 0
        more = True
        try:
            async with asyncio.timeout(self._read_timeout):
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self._max:
                        await self._too_large()(scope, receive, send)
                        return
                    chunks.append(chunk)
                    more = message.get("more_body", False)
        except TimeoutError:
            slow = error_response(
                408, "REQUEST_TIMEOUT", f"request body not received within {self._read_timeout:g}s"
            )
            slow.headers["Connection"] = "close"
            await slow(scope, receive, send)
            return
        body = b"".join(chunks)

        if _is_mutation_over_get(request):
            refusal = error_response(
                405, "METHOD_NOT_ALLOWED", "mutations are only accepted with POST"
            )
            refusal.headers["Allow"] = "POST"
            await refusal(scope, receive, send)
            return
        if _wants_ide(request):
            # The GraphiQL page itself runs no operation; it needs no key.
            principal = ANONYMOUS
        else:
            state: AppState = request.app.state.provgraph
            try:
                principal = await state.authenticate(request)
            except ProvgraphError as exc:
                status = _STATUS.get(type(exc), 400)
                await error_response(status, exc.code, exc.message)(scope, receive, send)
                return
        scope.setdefault("state", {})["principal"] = principal

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self._app(scope, replay, send)

    def _too_large(self) -> JSONResponse:
        return error_response(
            413, "PAYLOAD_TOO_LARGE", f"request body larger than {self._max} bytes"
        )
