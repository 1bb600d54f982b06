"""The Starlette application: lifespan owns the engine, driver and services."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from provgraph import __version__
from provgraph.areas import build_services, cypher_folders, routes
from provgraph.config import Settings
from provgraph.core.api.auth import Authenticator
from provgraph.core.api.hosts import HostCheck, allowed_hosts
from provgraph.core.api.http import GraphQLEndpoint
from provgraph.core.api.state import AppState
from provgraph.core.api.view import ProvgraphGraphQL
from provgraph.core.domain.errors import ProvgraphError
from provgraph.core.observe.events import EventBus
from provgraph.core.observe.logs import RequestObserver
from provgraph.core.observe.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from provgraph.core.observe.metrics import Metrics
from provgraph.core.store.catalog import Catalog, default_catalog
from provgraph.core.store.executor import Executor
from provgraph.core.store.registry import declared
from provgraph.core.store.schema_setup import apply_schema
from provgraph.engine.connection import Engine, open_engine
from provgraph.keys.service import KeyService
from provgraph.schema import build_schema
from provgraph.system.service import SystemService
from provgraph.web import pages

log = logging.getLogger(__name__)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


async def readyz(request: Request) -> JSONResponse:
    state: AppState = request.app.state.provgraph
    disk = state.engine.disk_problem(state.settings.min_free_disk_mb * 2**20)
    if disk is not None:
        # Reads would still answer, but every write would fail: not ready.
        return JSONResponse(
            {"status": "unavailable", "reason": disk, "cause": "disk_full"}, status_code=503
        )
    try:
        ready = await state.services.get(SystemService).ready()
    except ProvgraphError as exc:
        return JSONResponse({"status": "unavailable", "reason": exc.message}, status_code=503)
    if not ready:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ready", "engine": state.engine.kind})


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text format. Holds no tenant data: counts by operation name, code, route."""
    state: AppState = request.app.state.provgraph
    try:
        up = await state.services.get(SystemService).ready()
    except ProvgraphError:
        up = False
    state.metrics.engine_up.set(1 if up else 0)
    state.metrics.subscriptions.set(state.events.subscribers)
    return Response(state.metrics.exposition(), media_type=METRICS_CONTENT_TYPE)


def announce_auth_mode(settings: Settings) -> None:
    if settings.auth_required:
        return
    if settings.uses_embedded:
        log.warning(
            "DEV MODE: no API key needed; requests without a key act as tenant %r. "
            "Set PROVGRAPH_REQUIRE_API_KEYS=true to require keys.",
            settings.dev_tenant,
        )
    else:
        log.warning("API keys are DISABLED on a Neo4j deployment (PROVGRAPH_REQUIRE_API_KEYS)")


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    catalog: Catalog | None = None,
    supervise_engine: bool = False,
) -> Starlette:
    """Build the app. With ``engine`` given (tests), the app uses it and leaves it open."""
    settings = settings or Settings()
    catalog = catalog or default_catalog()
    metrics = Metrics()
    events = EventBus()
    events.listeners.append(metrics.on_event)
    schema = build_schema(settings, metrics)
    # Every query the code names must exist before the first request, not at first use.
    catalog.require(declared(), cypher_folders())
    graphql_app = GraphQLEndpoint(
        ProvgraphGraphQL(schema, graphql_ide="graphiql"),
        settings.max_body_bytes,
        settings.request_read_timeout,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = engine is None
        live = engine if engine is not None else await open_engine(settings)
        supervisor: asyncio.Task[None] | None = None
        try:
            executor = Executor(
                live.driver,
                live.database,
                catalog,
                settings.query_timeout,
                engine_down=lambda: live.process_down,
                max_concurrent_writes=settings.max_concurrent_writes,
                diagnose=lambda: live.disk_problem(settings.min_free_disk_mb * 2**20),
            )
            await apply_schema(executor)
            services = build_services(settings, live, executor, events)
            metrics.watch_executor(lambda: (executor.stats.queries, executor.stats.transactions))
            app.state.provgraph = AppState(
                settings=settings,
                engine=live,
                executor=executor,
                services=services,
                authenticate=Authenticator(settings, services.get(KeyService)),
                metrics=metrics,
                events=events,
            )
            announce_auth_mode(settings)
            if owned or supervise_engine:
                supervisor = asyncio.create_task(live.supervise(), name="engine-supervisor")
            yield
        finally:
            if supervisor is not None:
                supervisor.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await supervisor
            if owned:
                await live.close()

    app_routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        # Subscriptions: graphql-transport-ws on the same path (keys in connection_init).
        WebSocketRoute("/graphql", graphql_app),
        *pages.routes(),
        *routes(),
    ]
    known = tuple(r.path for r in app_routes if isinstance(r, Route))
    middleware = [
        Middleware(
            HostCheck, allowed=allowed_hosts(settings.allowed_hosts, settings.auth_required)
        ),
        Middleware(RequestObserver, metrics=metrics, routes=known),
        Middleware(pages.SecurityHeaders),
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["authorization", "content-type", "x-provgraph-tenant"],
                max_age=600,
            )
        )
    return Starlette(
        middleware=middleware,
        routes=app_routes,
        lifespan=lifespan,
    )
