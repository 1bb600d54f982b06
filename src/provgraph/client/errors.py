"""Typed errors of the recorder and query helpers (the server's ``extensions.code``)."""

from __future__ import annotations


class ProvgraphError(Exception):
    """A request provgraph refused or could not answer; ``code`` is the server's error code."""

    code = "ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.status = status


class ClientError(ProvgraphError):
    """4xx: the request is wrong; sending it again gives the same answer (never retried)."""


class BadRequest(ClientError):
    code = "BAD_USER_INPUT"


class Unauthenticated(ClientError):
    code = "UNAUTHENTICATED"


class Forbidden(ClientError):
    code = "FORBIDDEN"


class NotFound(ClientError):
    code = "NOT_FOUND"


class Conflict(ClientError):
    """An id already recorded with other content (a node id reused in the same run)."""

    code = "CONFLICT"


class PayloadTooLarge(ClientError):
    code = "PAYLOAD_TOO_LARGE"


class Unavailable(ProvgraphError):
    """The server stayed unreachable or overloaded (transport errors, 5xx, 503) through every
    retry; nothing is lost: the batch is still buffered and ``flush()`` sends it again."""

    code = "SERVICE_UNAVAILABLE"


BY_CODE: dict[str, type[ProvgraphError]] = {
    "BAD_USER_INPUT": BadRequest,
    "GRAPHQL_VALIDATION_FAILED": BadRequest,
    "UNAUTHENTICATED": Unauthenticated,
    "FORBIDDEN": Forbidden,
    "NOT_FOUND": NotFound,
    "CONFLICT": Conflict,
    "PAYLOAD_TOO_LARGE": PayloadTooLarge,
    "SERVICE_UNAVAILABLE": Unavailable,
    "DEADLINE_EXCEEDED": Unavailable,
}
BY_STATUS: dict[int, type[ClientError]] = {
    400: BadRequest,
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    415: BadRequest,
    422: BadRequest,
}
# Answers worth sending again: the write is idempotent, so a retry is safe.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
RETRY_CODES = frozenset({"SERVICE_UNAVAILABLE", "DEADLINE_EXCEEDED"})
