"""Request correlation ids and the log format (``PROVGRAPH_LOG_FORMAT``: text or json)."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from provgraph.core.observe.metrics import Metrics, route_label

access_log = logging.getLogger("provgraph.access")

REQUEST_ID_HEADER = "x-request-id"
# Each request's id: taken from a tidy X-Request-Id the client (or a proxy) sent, else made
# here; sent back in X-Request-Id, put on every log line, and the correlationId of a masked
# internal error.
correlation_id: ContextVar[str | None] = ContextVar("provgraph_correlation_id", default=None)
_TIDY_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def new_correlation_id() -> str:
    return uuid.uuid4().hex


class CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, correlation_id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        cid = getattr(record, "correlation_id", None)
        if cid:
            out["correlation_id"] = cid
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_logging(fmt: str, level: int = logging.INFO) -> None:
    """Root logging for ``provgraph serve`` (uvicorn's loggers propagate to it)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(CorrelationFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s")
        )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


class RequestObserver:
    """Outermost middleware: the correlation id of each request, and HTTP metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics, routes: tuple[str, ...]) -> None:
        self._app = app
        self._metrics = metrics
        self._routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self._app(scope, receive, send)
            return
        sent = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        cid = sent if _TIDY_ID.match(sent) else new_correlation_id()
        token = correlation_id.set(cid)
        started = time.perf_counter()
        status = 500

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER.encode(), cid.encode()),
                ]
            await send(message)

        try:
            await self._app(scope, receive, observed_send)
        finally:
            seconds = time.perf_counter() - started
            if scope["type"] == "http":
                route = route_label(scope["path"], self._routes)
                self._metrics.http.labels(route, scope["method"], str(status)).inc()
                self._metrics.http_latency.labels(route).observe(seconds)
                access_log.info(
                    "%s %s %d %.1f ms", scope["method"], scope["path"], status, seconds * 1000
                )
            correlation_id.reset(token)
