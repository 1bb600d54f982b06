"""Turn every GraphQL error into one with ``extensions.code``; mask and log internal ones."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import pydantic
from graphql import GraphQLError

from provgraph.core.domain.errors import ProvgraphError
from provgraph.core.observe.logs import correlation_id as current_correlation_id

log = logging.getLogger("provgraph.errors")

INTERNAL_MESSAGE = "Internal server error"


def _describe_validation(exc: pydantic.ValidationError) -> tuple[str, list[str]]:
    fields: list[str] = []
    parts: list[str] = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "input"
        fields.append(where)
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts), fields


def camel(name: str) -> str:
    """A Python name as Strawberry names the GraphQL argument (``task_id`` -> ``taskId``)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _in_graphql_names(error: ProvgraphError) -> tuple[str, dict[str, Any]]:
    """Services name arguments as Python does; clients see the GraphQL argument names."""
    extensions = dict(error.extensions)
    message = error.message
    field = extensions.get("field")
    if isinstance(field, str) and "_" in field:
        extensions["field"] = camel(field)
        message = re.sub(rf"\b{re.escape(field)}\b", extensions["field"], message)
    return message, extensions


def _graphql_code(error: GraphQLError) -> str:
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if error.message.startswith("Variable ") or error.path is not None:
        # A value the client sent that GraphQL could not accept.
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


def _original(error: GraphQLError) -> BaseException | None:
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original


def error_code(error: GraphQLError) -> str:
    """The ``extensions.code`` format_error gives this error (for metrics; logs nothing)."""
    original = _original(error)
    if isinstance(original, ProvgraphError):
        return original.code
    if isinstance(original, pydantic.ValidationError):
        return "BAD_USER_INPUT"
    if original is None or isinstance(original, GraphQLError) or error.path is None:
        return _graphql_code(error)
    return "INTERNAL_SERVER_ERROR"


def format_error(error: GraphQLError) -> dict[str, Any]:
    """The client's view of one error: a message, its path and typed extensions."""
    original = _original(error)
    out: dict[str, Any] = {"message": error.message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        out["path"] = list(error.path)
    if isinstance(original, ProvgraphError):
        out["message"], extensions = _in_graphql_names(original)
        out["extensions"] = {"code": original.code, **extensions}
    elif isinstance(original, pydantic.ValidationError):
        message, fields = _describe_validation(original)
        out["message"] = message
        out["extensions"] = {"code": "BAD_USER_INPUT", "fields": fields}
    elif original is None or isinstance(original, GraphQLError) or error.path is None:
        # Raised by GraphQL itself (parsing, validation, limits, coercing variables and
        # arguments such as global IDs): the message is safe and useful to the client.
        out["extensions"] = {"code": _graphql_code(error)}
    else:
        # The request's correlation id (on its log lines and X-Request-Id), else a new one.
        correlation_id = current_correlation_id.get() or uuid.uuid4().hex
        log.error(
            "internal error %s at %s",
            correlation_id,
            error.path,
            exc_info=(type(original), original, original.__traceback__),
        )
        out["message"] = INTERNAL_MESSAGE
        out["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "correlationId": correlation_id}
    return out
