"""Epoch-millisecond ints in the graph, ISO-8601 UTC strings (``...Z``) at the API."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from provgraph.core.domain.errors import BadUserInput


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def parse_iso(value: str | None, field: str) -> int | None:
    """ISO-8601 with a zone (``Z`` or an offset) to epoch ms; BAD_USER_INPUT otherwise."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadUserInput(f"{field} is not an ISO-8601 date-time", field=field) from None
    if parsed.tzinfo is None:
        raise BadUserInput(f"{field} needs a time zone (e.g. Z)", field=field)
    return int(parsed.timestamp() * 1000)


def to_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
