"""parse_iso's fast path for ``...Z`` values gives exactly what the general path gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from provgraph.core.domain.timefmt import parse_iso, to_iso


def _general(value: str) -> int:
    """The general path: the value with an explicit +00:00 offset instead of Z."""
    result = parse_iso(value[:-1] + "+00:00", "f")
    assert result is not None
    return result


@settings(max_examples=2000, deadline=None)
@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.sampled_from(["seconds", "milliseconds", "microseconds"]),
)
def test_z_values_parse_as_their_offset_spelling(moment: datetime, spec: str) -> None:
    value = moment.isoformat(timespec=spec) + "Z"
    assert parse_iso(value, "f") == _general(value)


def test_z_values_read_back() -> None:
    for value in [
        "0001-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z",
        "1969-12-31T23:59:59.999Z",
    ]:
        assert to_iso(parse_iso(value, "f")) == value


def test_microseconds_before_the_epoch_truncate_as_before() -> None:
    moment = datetime(1970, 1, 1, tzinfo=UTC) - timedelta(microseconds=500)
    value = moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    assert parse_iso(value, "f") == int(moment.timestamp() * 1000) == 0
