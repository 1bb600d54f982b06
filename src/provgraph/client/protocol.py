"""What the sync and async clients share: requests, answers, retries; no I/O here."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from provgraph.client.errors import (
    BY_CODE,
    BY_STATUS,
    RETRY_CODES,
    RETRY_STATUSES,
    ClientError,
    ProvgraphError,
    Unavailable,
)

DEFAULT_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with full jitter: attempt n waits up to ``base * 2**n`` seconds
    (at most ``cap``), or what ``Retry-After`` asks; ``retries`` more attempts after the first."""

    retries: int = 5
    base: float = 0.2
    cap: float = 10.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.cap)
        return random.uniform(0, min(self.cap, self.base * 2**attempt))


class Retry(Exception):
    """This answer (or transport failure) is worth another attempt."""

    def __init__(self, error: ProvgraphError, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


class Attempts:
    """The retry loop both clients run, without its I/O: iterate for the delay to wait before
    each attempt (None before the first), report each failed attempt with ``failed``, and
    raise ``gave_up()`` when the iteration ends."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.last: Retry | None = None

    def __iter__(self) -> Iterator[float | None]:
        for attempt in range(self.policy.retries + 1):
            if self.last is None:
                yield None
            else:
                yield self.policy.delay(attempt - 1, self.last.retry_after)

    def failed(self, exc: httpx.TransportError | Retry) -> None:
        self.last = exc if isinstance(exc, Retry) else transport_failure(exc)

    def gave_up(self) -> Unavailable:
        assert self.last is not None
        return Unavailable(
            f"gave up after {self.policy.retries + 1} attempts: {self.last.error.message}",
            code=self.last.error.code,
            status=self.last.error.status,
        )


def endpoint(url: str) -> str:
    base = url.rstrip("/")
    return base if base.endswith("/graphql") else base + "/graphql"


def headers(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def request_body(document: str, variables: Mapping[str, Any] | None) -> dict[str, Any]:
    return {"query": document, "variables": dict(variables or {})}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _error(entry: Any, status: int | None) -> ProvgraphError:
    if not isinstance(entry, dict):
        return ProvgraphError(str(entry), status=status)
    ext = entry.get("extensions") or {}
    code = ext.get("code") or entry.get("code")
    message = str(entry.get("message") or code or "error")
    field = ext.get("field") or entry.get("field")
    cls = BY_CODE.get(code or "") or (BY_STATUS.get(status or 0) if status else None)
    if cls is None:
        cls = ClientError if status is not None and 400 <= status < 500 else ProvgraphError
    return cls(message, code=code, field=field, status=status)


def answer(response: httpx.Response) -> dict[str, Any]:
    """The ``data`` of a GraphQL answer; raises ``Retry`` for what is worth sending again and
    a typed ``ProvgraphError`` for the rest."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if status in RETRY_STATUSES or status >= 500:
        entry = _first_error(body) or {"message": f"HTTP {status}: {response.text[:200]}"}
        error = _error(entry, status)
        if status in RETRY_STATUSES:
            raise Retry(
                Unavailable(error.message, code=error.code, status=status), _retry_after(response)
            )
        raise error
    if not isinstance(body, dict):
        raise _error({"message": f"HTTP {status}: not a GraphQL answer"}, status)
    first = _first_error(body)
    if first is not None:
        error = _error(first, status if status != 200 else None)
        if error.code in RETRY_CODES:
            raise Retry(error, _retry_after(response))
        raise error
    if status != 200:
        raise _error({"message": f"HTTP {status}"}, status)
    data: dict[str, Any] = body.get("data") or {}
    return data


def _first_error(body: Any) -> Any:
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return errors[0]
    if body.get("error") is not None:
        return body["error"]
    return None


def transport_failure(exc: httpx.TransportError) -> Retry:
    return Retry(Unavailable(f"{type(exc).__name__}: {exc}"))
