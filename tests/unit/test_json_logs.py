"""PROVGRAPH_LOG_FORMAT=json: one JSON object per line, with the request's correlation id."""

from __future__ import annotations

import json
import logging

import pytest

from provgraph.config import Settings
from provgraph.core.observe.logs import CorrelationFilter, JsonFormatter, correlation_id


def test_json_line_carries_the_correlation_id() -> None:
    record = logging.LogRecord("provgraph.x", logging.ERROR, __file__, 1, "boom %s", ("a",), None)
    token = correlation_id.set("abc123abc123")
    try:
        CorrelationFilter().filter(record)
    finally:
        correlation_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "boom a"
    assert line["level"] == "ERROR" and line["logger"] == "provgraph.x"
    assert line["correlation_id"] == "abc123abc123"
    assert line["time"].endswith("+00:00")


def test_exceptions_are_in_the_line() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record = logging.LogRecord("p", logging.ERROR, __file__, 1, "m", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: bad" in line["exception"]


def test_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVGRAPH_LOG_FORMAT", "json")
    assert Settings().log_format == "json"
    monkeypatch.setenv("PROVGRAPH_LOG_FORMAT", "yaml")
    with pytest.raises(ValueError):
        Settings()
