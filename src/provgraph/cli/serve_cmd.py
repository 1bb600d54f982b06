"""``provgraph serve``: start (or connect to) the engine, then serve GraphQL over HTTP."""

from __future__ import annotations

import argparse
import asyncio
import gc
import shutil
import signal
import sys
from collections.abc import Coroutine
from types import FrameType
from typing import Any

import uvicorn
from neo4j.exceptions import DriverError, Neo4jError

from provgraph import __version__
from provgraph.cli.slow_clients import head_deadline_protocol
from provgraph.config import Settings
from provgraph.core.domain.errors import ProvgraphError
from provgraph.core.observe.logs import configure_logging
from provgraph.core.store.catalog import default_catalog
from provgraph.core.store.executor import Executor
from provgraph.core.store.schema_setup import apply_schema
from provgraph.engine.connection import Engine, open_engine
from provgraph.engine.embedded import ensure_port_free
from provgraph.engine.errors import EngineStartError

LOW_DISK_BYTES = 64 * 1024 * 1024


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("serve", help="run the GraphQL server")
    p.add_argument("--host", help="bind address (default PROVGRAPH_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default PROVGRAPH_PORT or 8000)")
    p.add_argument(
        "--engine",
        choices=("arcadedb", "neo4j"),
        help="engine provgraph starts (default PROVGRAPH_ENGINE or arcadedb)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    overrides: dict[str, Any] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = args.port
    if args.engine:
        overrides["engine"] = args.engine
    settings = Settings(**overrides)
    try:
        return _run_loop(_serve(settings))
    except EngineStartError as exc:
        print(f"provgraph: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run_loop(main: Coroutine[Any, Any, int]) -> int:
    """uvloop when installed (uvicorn[standard]): a faster event loop for HTTP and Bolt I/O."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    result: int = uvloop.run(main)
    return result


class _StopRequested(Exception):
    """SIGTERM arrived after uvicorn's graceful shutdown."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested


def _free_space_note(engine: Engine) -> str:
    if engine.embedded is None:
        return ""
    free = shutil.disk_usage(engine.embedded.layout.data_dir).free
    if free >= LOW_DISK_BYTES:
        return ""
    return f"; only {free // 1024} KB free on {engine.embedded.layout.data_dir}"


async def check_schema(engine: Engine, settings: Settings) -> None:
    """Set up constraints and indexes before serving: a failure is one line, not a traceback."""
    executor = Executor(engine.driver, engine.database, default_catalog(), settings.query_timeout)
    try:
        await apply_schema(executor)
    except (Neo4jError, DriverError, ProvgraphError) as exc:
        cause = (getattr(exc, "message", None) or str(exc)).splitlines()[0][:300]
        where = f" (log: {engine.embedded.layout.log_file})" if engine.embedded else ""
        raise EngineStartError(
            f"engine cannot set up its schema: {cause}{_free_space_note(engine)}{where}"
        ) from None


async def _serve(settings: Settings) -> int:
    from provgraph.app import create_app

    if settings.host in ("127.0.0.1", "localhost", "0.0.0.0"):
        try:
            ensure_port_free(settings.port, "HTTP")
        except EngineStartError:
            raise EngineStartError(
                f"cannot serve: port {settings.port} is busy (choose another with --port)"
            ) from None
    configure_logging(settings.log_format)
    engine = await open_engine(settings)
    try:
        await check_schema(engine, settings)
        app = create_app(settings, engine=engine, supervise_engine=True)
        # What exists now (the modules, the schema, the engine's client) lives as long as the
        # process: frozen out of the cyclic collector's generations, which the allocations of
        # one large answer (~100,000 objects) otherwise make it re-scan many times
        # (gc.freeze; it halved the GraphQL CPU of a 4,500-node answer, README Performance).
        gc.collect()
        gc.freeze()
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host=settings.host,
                port=settings.port,
                log_level="info",
                http=head_deadline_protocol(settings.request_read_timeout),
                log_config=None,
                access_log=False,  # provgraph.access logs each request with its id
            )
        )
        mode = "dev mode: no API keys, one tenant" if not settings.auth_required else "API keys"
        print(
            f"provgraph {__version__}\n"
            f"  engine:   {engine.kind} - {engine.description}\n"
            f"  GraphiQL: http://{settings.host}:{settings.port}/graphql\n"
            f"  metrics:  http://{settings.host}:{settings.port}/metrics\n"
            f"  auth:     {mode}",
            file=sys.stderr,
            flush=True,
        )
        # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the signal; the
        # default SIGTERM action (or asyncio's SIGINT handler) would end us before the engine
        # is stopped in order.
        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            await server.serve()
        except _StopRequested:
            pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0 if server.started else 1
    finally:
        await engine.close()
