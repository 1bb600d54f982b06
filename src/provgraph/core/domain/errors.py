"""Domain errors. Each carries the GraphQL ``extensions.code`` that clients see."""

from __future__ import annotations

from typing import Any


class ProvgraphError(Exception):
    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInput(ProvgraphError):
    code = "BAD_USER_INPUT"


class NotFound(ProvgraphError):
    code = "NOT_FOUND"


class Unauthenticated(ProvgraphError):
    code = "UNAUTHENTICATED"


class Forbidden(ProvgraphError):
    code = "FORBIDDEN"


class Conflict(ProvgraphError):
    code = "CONFLICT"


class DeadlineExceeded(ProvgraphError):
    code = "DEADLINE_EXCEEDED"


class EngineUnavailable(ProvgraphError):
    code = "SERVICE_UNAVAILABLE"


class PayloadTooLarge(ProvgraphError):
    code = "PAYLOAD_TOO_LARGE"
