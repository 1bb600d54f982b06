"""Epoch-millisecond ints in the graph, ISO-8601 UTC strings (``...Z``) at the API."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from provgraph.core.domain.errors import BadUserInput

RANGE_TEXT = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z"
_EPOCH = datetime(1970, 1, 1)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def parse_iso(value: str | None, field: str) -> int | None:
    """ISO-8601 with a zone (``Z`` or an offset) to epoch ms; BAD_USER_INPUT otherwise."""
    if value is None:
        return None
    if value.endswith("Z") and "+" not in value:
        # The common spelling (UTC, as to_iso writes): no zone to convert, so a date that
        # parses has a 4-digit year 0001..9999 and reads back; no round trip needed.
        try:
            naive = datetime.fromisoformat(value[:-1])
        except ValueError:
            naive = None
        if naive is not None and naive.tzinfo is None:
            # What .timestamp() computes for the aware value, without building it.
            return int((naive - _EPOCH).total_seconds() * 1000)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadUserInput(f"{field} is not an ISO-8601 date-time", field=field) from None
    if parsed.tzinfo is None:
        raise BadUserInput(f"{field} needs a time zone (e.g. Z)", field=field)
    try:
        # Every stored time must read back: in UTC it must be within years 0001..9999.
        parsed.astimezone(UTC)
        ms = int(parsed.timestamp() * 1000)
        to_iso(ms)
    except (OverflowError, ValueError, OSError):
        raise BadUserInput(
            f"{field} is out of range: {RANGE_TEXT} once converted to UTC", field=field
        ) from None
    return ms


def to_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    # The year by hand: strftime("%Y") does not pad years before 1000 on every platform.
    return f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
