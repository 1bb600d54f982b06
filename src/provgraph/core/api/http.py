"""The HTTP edge of /graphql and of the areas' own routes: body limit, authentication, typed JSON
errors with status codes. ``guard`` is the same edge for a plain Starlette endpoint."""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import AbstractContextManager
from dataclasses import dataclass

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from provgraph.core.api.context import Principal
from provgraph.core.api.state import AppState
from provgraph.core.domain.errors import (
    BadUserInput,
    DeadlineExceeded,
    EngineUnavailable,
    Forbidden,
    PayloadTooLarge,
    ProvgraphError,
    Unauthenticated,
)
from provgraph.core.observe import logs
from provgraph.core.store import audit

# No tenant has the empty name, so this principal can see nothing and write nothing.
ANONYMOUS = Principal(tenant="", read_only=True)

# Only to find the operation type of a GET; the schema's own token limit applies afterwards.
MAX_GET_TOKENS = 20_000

_STATUS = {Unauthenticated: 401, Forbidden: 403, EngineUnavailable: 503}


def status_of(exc: ProvgraphError) -> int:
    """The HTTP status of a refusal at the edge (input problems are 400; an error class may
    name its own with ``http_status``)."""
    own = getattr(exc, "http_status", None)
    if isinstance(own, int):
        return own
    if isinstance(exc, PayloadTooLarge):
        return 413
    if isinstance(exc, DeadlineExceeded):
        return 504
    return _STATUS.get(type(exc), 400)


def too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"request body larger than {max_bytes} bytes")


class RequestTimeout(ProvgraphError):
    code = "REQUEST_TIMEOUT"
    http_status = 408


async def read_body(
    request: Request, receive: Receive, max_bytes: int, within: float
) -> bytes | None:
    """The whole body, bounded in size whatever the client declared (chunked bodies too) and
    in time; None when the client went away. Raises PayloadTooLarge past ``max_bytes`` and
    RequestTimeout when the body is not all there within ``within`` seconds."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
        raise too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    more = True
    try:
        async with asyncio.timeout(within):
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return None
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(max_bytes)
                chunks.append(chunk)
                more = message.get("more_body", False)
    except TimeoutError:
        raise RequestTimeout(f"request body not received within {within:g}s") from None
    return b"".join(chunks)


@dataclass(frozen=True)
class Guarded:
    """A request that passed the edge: who sent it and its body."""

    principal: Principal
    body: bytes
    state: AppState


async def guard(request: Request, *, write: bool) -> Guarded:
    """The /graphql edge for an area's own POST route: body limit first, then the same
    authentication (and tenant header check); ``write`` refuses read-only keys.
    Raises ProvgraphError (``status_of`` gives its HTTP status)."""
    state: AppState = request.app.state.provgraph
    settings = state.settings
    body = await read_body(
        request, request.receive, settings.max_body_bytes, settings.request_read_timeout
    )
    if body is None:
        raise BadUserInput("the client closed the request before its body was read")
    principal = await state.authenticate(request)
    if write and principal.read_only:
        raise Forbidden("this API key is read-only")
    return Guarded(principal, body, state)


def audited(got: Guarded, action: str) -> AbstractContextManager[audit.AuditScope]:
    """The audit scope of a write through an area's own route (as ``CanWrite`` opens one for
    a GraphQL mutation): every write transaction in it appends an event naming the key, the
    action, the request's correlation id and the digest of the body."""
    return audit.scope(
        key_id=got.principal.key_id,
        action=action,
        operation=None,
        correlation_id=logs.correlation_id.get() or logs.new_correlation_id(),
        args={"bodySha256": hashlib.sha256(got.body).hexdigest()},
    )


def refusal(exc: ProvgraphError) -> JSONResponse:
    """A typed JSON error body for ``exc`` with its HTTP status."""
    return error_response(status_of(exc), exc.code, exc.message)


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
        try:
            read = await read_body(request, receive, self._max, self._read_timeout)
        except PayloadTooLarge:
            await self._too_large()(scope, receive, send)
            return
        except RequestTimeout as exc:
            slow = refusal(exc)
            slow.headers["Connection"] = "close"
            await slow(scope, receive, send)
            return
        if read is None:
            return
        body = read

        if _is_mutation_over_get(request):
            not_allowed = error_response(
                405, "METHOD_NOT_ALLOWED", "mutations are only accepted with POST"
            )
            not_allowed.headers["Allow"] = "POST"
            await not_allowed(scope, receive, send)
            return
        if _wants_ide(request):
            # The GraphiQL page itself runs no operation; it needs no key.
            principal = ANONYMOUS
        else:
            state: AppState = request.app.state.provgraph
            try:
                principal = await state.authenticate(request)
            except ProvgraphError as exc:
                await refusal(exc)(scope, receive, send)
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
        return refusal(too_large(self._max))
