"""Arize Phoenix, the peer of ``python -m bench --peer phoenix``.

Phoenix is never a dependency of provgraph: the bench installs one pinned version into a
virtual environment of its own under ``~/.cache/provgraph/bench-peers/phoenix-<version>``
(``$XDG_CACHE_HOME`` respected) the first time it is asked to, and reuses it afterwards. It runs
as its own process (``phoenix serve``) on free loopback ports, with a fresh working directory so
its default SQLite database starts empty, telemetry and external requests off. It takes the
same OTLP/HTTP protobuf bodies at ``/v1/traces`` as provgraph and is read through its GraphQL
API: ``getSpanByOtelId`` (is a span stored yet?), ``Project.recordCount`` (how many spans) and
``Span.descendants(maxDepth, first)`` (the span tree below a span, breadth-first).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import TextIO

import httpx

from bench.gql import gql
from bench.harness import spawn, stop_process, wait_until_answers
from provgraph.engine.embedded import free_port
from provgraph.engine.neo4j_local import default_cache_dir

PACKAGE = "arize-phoenix"
VERSION = "20.26.1"  # the newest on PyPI when the peer was added (2026-11-26)
NAME = f"Arize Phoenix {VERSION}"

SPAN = "query PeerSpan($id: String!) { getSpanByOtelId(spanId: $id) { spanId } }"
COUNT = "query PeerCount { projects { edges { node { name recordCount } } } }"
# Phoenix's own defaults are maxDepth 3 and first 50; the bench asks for the depth it compares
# and for as many spans as provgraph returns at most (PROVGRAPH_MAX_RESULT_NODES, 5000).
DESCENDANTS = (
    "query PeerDescendants($id: String!, $depth: Int!, $first: Int!) { "
    "getSpanByOtelId(spanId: $id) { descendants(maxDepth: $depth, first: $first) "
    "{ edges { node { spanId name } } } } }"
)


class PeerUnavailable(RuntimeError):
    """The peer cannot be measured; the message says why (printed as ``not measured``)."""


def peers_dir() -> Path:
    return default_cache_dir() / "bench-peers"


def venv_dir(version: str = VERSION) -> Path:
    return peers_dir() / f"phoenix-{version}"


def ensure_installed(version: str = VERSION, *, out: TextIO | None = None) -> Path:
    """The virtual environment holding ``arize-phoenix==version``, installed if missing.

    Blocking (minutes on the first call: Phoenix pulls ~150 packages); pip's progress goes to
    ``out`` (stderr by default). A finished install leaves ``.installed``; anything else found
    there (an interrupted install) is removed and made again.
    """
    stream = out if out is not None else sys.stderr
    target = venv_dir(version)
    marker = target / ".installed"
    if marker.exists():
        return target
    print(
        f"bench: installing {PACKAGE}=={version} into its own virtual environment {target} "
        "(first use only; this takes a few minutes, pip's progress follows)",
        file=stream,
        flush=True,
    )
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "venv", str(target)], "python -m venv", stream)
    python = str(target / "bin" / "python")
    _run([python, "-m", "pip", "install", "--upgrade", "pip"], "pip install --upgrade pip", stream)
    _run(
        [python, "-m", "pip", "install", "--progress-bar", "off", f"{PACKAGE}=={version}"],
        f"pip install {PACKAGE}=={version}",
        stream,
    )
    marker.write_text(f"{PACKAGE}=={version}\n")
    print(f"bench: {PACKAGE} {version} installed in {target}", file=stream, flush=True)
    return target


def _run(argv: list[str], what: str, out: TextIO) -> None:
    """Run ``argv``, echoing its output to ``out``; PeerUnavailable with its tail on failure."""
    tail: deque[str] = deque(maxlen=5)
    try:
        proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise PeerUnavailable(f"{what}: {exc}") from exc
    with proc:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip()
            if line:
                tail.append(line)
                print(f"  {line}", file=out, flush=True)
        code = proc.wait()
    if code != 0:
        last = " | ".join(tail) or "no output"
        raise PeerUnavailable(f"{what} failed (exit {code}): {last}")


class PhoenixServer:
    """``phoenix serve`` as its own process; ``url`` answers once ``/healthz`` says 200."""

    def __init__(self, venv: Path, workdir: Path) -> None:
        self.venv = venv
        self.workdir = workdir
        self.port = free_port()
        self.grpc_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "phoenix.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def env(self) -> dict[str, str]:
        """The caller's environment without its PHOENIX_* settings (a configured Postgres, say),
        then a fresh working directory (fresh SQLite), loopback ports, no telemetry."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PHOENIX_")}
        env.update(
            PHOENIX_WORKING_DIR=str(self.workdir / "phoenix"),
            PHOENIX_HOST="127.0.0.1",
            PHOENIX_PORT=str(self.port),
            PHOENIX_GRPC_PORT=str(self.grpc_port),
            PHOENIX_TELEMETRY_ENABLED="false",
            PHOENIX_ALLOW_EXTERNAL_RESOURCES="false",
        )
        return env

    async def start(self, within: float = 180.0) -> float:
        """Start the process; the seconds until ``/healthz`` answered 200."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        # From the event loop's thread, as ServerProcess: the parent-death signal follows it.
        argv = [str(self.venv / "bin" / "phoenix"), "serve"]
        self.process = spawn(argv, self.env(), self.log_path, cwd=self.workdir)
        problem = await wait_until_answers(
            self.process, f"{self.url}/healthz", self.log_path, within, "phoenix serve"
        )
        if problem is not None:
            await self.stop()
            raise PeerUnavailable(problem)
        return time.monotonic() - t0

    async def stop(self) -> None:
        await stop_process(self.process)
        self.process = None


async def span_stored(client: httpx.AsyncClient, span_id: str) -> bool:
    data = await gql(client, SPAN, {"id": span_id})
    return data["getSpanByOtelId"] is not None


async def span_count(client: httpx.AsyncClient) -> int:
    """The spans Phoenix holds, over all its projects."""
    data = await gql(client, COUNT)
    return sum(int(e["node"]["recordCount"]) for e in data["projects"]["edges"])


async def descendants(client: httpx.AsyncClient, span_id: str, depth: int, first: int) -> int:
    """Spans below ``span_id`` within ``depth``, as Phoenix answers them; their number."""
    data = await gql(client, DESCENDANTS, {"id": span_id, "depth": depth, "first": first})
    span = data["getSpanByOtelId"]
    if span is None:
        raise PeerUnavailable(f"Phoenix does not know span {span_id}")
    return len(span["descendants"]["edges"])
