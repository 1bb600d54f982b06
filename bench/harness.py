"""The engine and the provgraph server the benchmark measures.

The engine comes from provgraph's own configuration: embedded ArcadeDB or the local Neo4j
(``--engine``/``PROVGRAPH_ENGINE``; started here in a temporary directory) unless
``PROVGRAPH_NEO4J_URI`` points at a Neo4j. The server is a separate
``provgraph serve`` process on a free port, pointed at that same engine, so its memory and CPU
are its own and a client reaches it over real HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from provgraph.config import Settings
from provgraph.core.store.catalog import default_catalog
from provgraph.core.store.executor import Executor
from provgraph.core.store.schema_setup import apply_schema
from provgraph.engine.connection import Engine, open_engine
from provgraph.engine.embedded import free_port

_PR_SET_PDEATHSIG = 1


def settle_heap() -> None:
    """Before timing: what the benchmark has made so far (the graph it wrote, the in-process
    app) frozen out of the cyclic collector's generations, as ``provgraph serve`` freezes its
    own at start-up, so the driver side's decoding is not slowed by re-scans of it either."""
    gc.collect()
    gc.freeze()


@dataclass
class Bench:
    settings: Settings  # the benchmark's view of the engine, dev tenant = the bench tenant
    engine: Engine
    tenant: str
    workdir: Path

    @property
    def engine_pid(self) -> int | None:
        """The engine's process when it runs here (embedded); None for an external Neo4j."""
        emb = self.engine.embedded
        if emb is not None and emb.process is not None:
            return emb.process.pid
        return None

    def server_env(self, port: int) -> dict[str, str]:
        """Environment for ``provgraph serve``: the same engine, the bench tenant, no keys."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROVGRAPH_")}
        emb = self.engine.embedded
        if emb is not None:
            env.update(
                PROVGRAPH_NEO4J_URI=emb.uri,
                PROVGRAPH_NEO4J_USER=emb.auth[0],
                PROVGRAPH_NEO4J_PASSWORD=emb.auth[1],
                PROVGRAPH_NEO4J_DATABASE=emb.database,
            )
        else:
            s = self.settings
            assert s.neo4j_uri is not None
            env.update(
                PROVGRAPH_NEO4J_URI=s.neo4j_uri,
                PROVGRAPH_NEO4J_USER=s.neo4j_user,
                PROVGRAPH_NEO4J_DATABASE=s.neo4j_database,
            )
            if s.neo4j_password is not None:
                env["PROVGRAPH_NEO4J_PASSWORD"] = s.neo4j_password.get_secret_value()
        env.update(
            PROVGRAPH_REQUIRE_API_KEYS="false",
            PROVGRAPH_DEV_TENANT=self.tenant,
            PROVGRAPH_QUERY_TIMEOUT=str(self.settings.query_timeout),
            PROVGRAPH_MAX_RESULT_NODES=str(self.settings.max_result_nodes),
            PROVGRAPH_HOST="127.0.0.1",
            PROVGRAPH_PORT=str(port),
        )
        return env

    async def executor(self) -> Executor:
        ex = Executor(
            self.engine.driver, self.engine.database, default_catalog(), self.settings.query_timeout
        )
        await apply_schema(ex)
        return ex


@contextlib.asynccontextmanager
async def open_bench(
    workdir: Path, tenant: str, heap: str, engine_name: str | None = None
) -> AsyncIterator[Bench]:
    """Start (embedded ArcadeDB or local Neo4j: ``engine_name``, else ``PROVGRAPH_ENGINE``) or
    connect to (``PROVGRAPH_NEO4J_URI``) the configured engine; remove the tenant after."""
    settings = Settings().model_copy(update={"dev_tenant": tenant, "require_api_keys": False})
    if engine_name is not None:
        settings = settings.model_copy(update={"engine": engine_name})
    if settings.uses_embedded:
        settings = settings.model_copy(
            update={"data_dir": workdir / "engine", "embedded_heap": heap, "neo4j_heap": heap}
        )
    engine = await open_engine(settings)
    bench = Bench(settings, engine, tenant, workdir)
    try:
        await bench.executor()  # constraints and indexes, as the server would apply them
        yield bench
    finally:
        try:
            if engine.embedded is None:
                await delete_tenant(engine, tenant)
        finally:
            await engine.close()


async def delete_tenant(engine: Engine, tenant: str) -> None:
    """Remove the benchmark's data from a user's Neo4j, in small transactions."""
    async with engine.driver.session(database=engine.database) as session:
        result = await session.run(
            "MATCH (n:Node {tenant: $tenant}) "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS",
            tenant=tenant,
        )
        await result.consume()


def die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """The server never outlives the benchmark, even when the benchmark is killed."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(
    argv: list[str], env: dict[str, str], log_path: Path, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """A child process of the benchmark, its output in ``log_path``. Call it from the event
    loop's own thread: the parent-death signal is tied to the thread that forks, and a worker
    thread may end before the benchmark does."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )


async def wait_until_answers(
    process: subprocess.Popen[bytes], url: str, log_path: Path, within: float, name: str
) -> str | None:
    """None once ``url`` answers 200; else why not: the process exited (with its log's tail)
    or ``within`` seconds passed."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]  # noqa: ASYNC240 - once, failing
                return f"{name} exited with {process.returncode}: {tail}"
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return None
            await asyncio.sleep(0.1)
    return f"{name} did not answer {url} within {within:.0f}s"


async def stop_process(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, then SIGKILL after 30 s: a child process the bench started."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.to_thread(proc.wait, 30)
    except subprocess.TimeoutExpired:
        proc.kill()
        await asyncio.to_thread(proc.wait, 5)


class ServerProcess:
    """``provgraph serve`` as its own process; ``url`` answers once ``/readyz`` says ready."""

    def __init__(self, bench: Bench) -> None:
        self.bench = bench
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = bench.workdir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self, within: float = 90.0) -> None:
        argv = [sys.executable, "-m", "provgraph.cli", "serve", "--port", str(self.port)]
        self.process = spawn(argv, self.bench.server_env(self.port), self.log_path)
        problem = await wait_until_answers(
            self.process, f"{self.url}/readyz", self.log_path, within, "provgraph serve"
        )
        if problem is not None:
            await self.stop()
            raise RuntimeError(problem)

    async def stop(self) -> None:
        await stop_process(self.process)
        self.process = None


@contextlib.asynccontextmanager
async def running_server(bench: Bench) -> AsyncIterator[ServerProcess]:
    server = ServerProcess(bench)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
