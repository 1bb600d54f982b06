"""What ``provgraph export`` and ``provgraph import`` share: the server connection, the
progress bar, exported graphs as ``recordRun`` inputs cut to the server's batch limits, and
consecutive inputs grouped into ``recordRuns`` requests."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from provgraph.core.domain.timefmt import to_iso
from provgraph.export.records import Graph

DEFAULT_URL = "http://127.0.0.1:8000"
# recordRun's limits (runs/rules.py; recordRuns holds a request's total to them too) and the
# default body limit; a batch, and a group of them, stays well under them.
MAX_NODES_PER_BATCH = 20_000
MAX_EDGES_PER_BATCH = 50_000
MAX_BATCHES_PER_REQUEST = 1_000
DEFAULT_BATCH_ELEMENTS = 2_000
DEFAULT_MAX_BODY = 10 * 1024 * 1024


def add_connection(p: Any) -> None:
    p.add_argument(
        "--url",
        default=os.environ.get("PROVGRAPH_URL", DEFAULT_URL),
        help="the server (default $PROVGRAPH_URL or http://127.0.0.1:8000)",
    )
    p.add_argument(
        "--key",
        default=os.environ.get("PROVGRAPH_API_KEY"),
        help="API key, sent as Authorization: Bearer (default $PROVGRAPH_API_KEY)",
    )
    p.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per request (default %(default)g)"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


class Server:
    def __init__(self, url: str, key: str | None, timeout: float) -> None:
        base = url.rstrip("/")
        base = base.removesuffix("/graphql")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.http = httpx.Client(base_url=base, headers=headers, timeout=timeout)

    def graphql(self, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The data of a request; ``ServerError`` with the error codes when it is refused."""
        response = self.http.post("/graphql", json={"query": document, "variables": variables})
        body = _json(response)
        errors = body.get("errors")
        if errors or response.status_code != 200:
            raise ServerError(_describe(errors or [body.get("error") or body]))
        data: dict[str, Any] = body["data"]
        return data

    def post(self, path: str, content: bytes, content_type: str) -> dict[str, Any]:
        response = self.http.post(path, content=content, headers={"content-type": content_type})
        body = _json(response)
        if response.status_code != 200:
            raise ServerError(_describe([body.get("error") or body]))
        return body

    def close(self) -> None:
        self.http.close()


class ServerError(Exception):
    pass


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ServerError(f"HTTP {response.status_code}: {response.text[:200]}") from None
    return body if isinstance(body, dict) else {"data": body}


def _describe(errors: list[Any]) -> str:
    parts = []
    for e in errors:
        if not isinstance(e, dict):
            parts.append(str(e))
            continue
        code = (e.get("extensions") or {}).get("code") or e.get("code") or "ERROR"
        parts.append(f"{code}: {e.get('message', '')}")
    return "; ".join(parts)


class RateColumn(ProgressColumn):
    """Elements per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- el/s" if speed is None else f"{speed:,.0f} el/s", style="cyan")


def progress(disabled: bool) -> Progress:
    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=disabled or not console.is_terminal,
    )


# --- graphs as recordRun inputs --------------------------------------------------------------


def batches_of(graph: Graph) -> list[dict[str, Any]]:
    """One ``recordRun`` input per run of the graph (nodes of that run, edges whose source is
    one of them), in the shape ``RecordRunInput`` takes."""
    out = []
    for run in sorted(graph.runs, key=lambda r: r.id):
        spec: dict[str, Any] = {"id": run.id}
        for key, value in (
            ("agentId", run.agent_id),
            ("status", run.status.upper() if run.status else None),
            ("startedAt", to_iso(run.started_at)),
            ("endedAt", to_iso(run.ended_at)),
            ("metadata", run.metadata),
            ("sessionId", run.session_id),
        ):
            if value is not None:
                spec[key] = value
        nodes = []
        mine = set()
        for n in sorted(graph.nodes, key=lambda n: (n.step, n.id)):
            if n.run_id != run.id:
                continue
            mine.add(n.id)
            node: dict[str, Any] = {"id": n.id, "kind": n.kind.upper(), "step": n.step}
            fields: tuple[tuple[str, Any], ...] = (
                ("text", n.text),
                ("json", n.json),
                ("createdAt", to_iso(n.occurred_at)),
                ("tokens", n.tokens),
                ("cost", n.cost),
                ("latencyMs", n.latency_ms),
                ("toolName", n.tool_name),
                ("arguments", n.arguments),
                ("toolStatus", n.tool_status),
                ("error", n.error),
            )
            for key, value in fields:
                if value is not None:
                    node[key] = value
            nodes.append(node)
        edges = [
            {"kind": e.kind.name, "source": e.source, "target": e.target}
            for e in sorted(graph.edges, key=lambda e: (e.kind.value, e.source, e.target))
            if _effect(e) in mine
        ]
        out.append({"run": spec, "nodes": nodes, "edges": edges})
    return out


def _effect(edge: Any) -> str:
    source: str = edge.source
    target: str = edge.target
    return source if edge.kind.spec.source_is_effect else target


def elements(batch: dict[str, Any]) -> int:
    return 1 + len(batch.get("nodes") or []) + len(batch.get("edges") or [])


def split(batch: dict[str, Any], max_elements: int, max_body: int) -> Iterator[dict[str, Any]]:
    """The batch as it is when it fits the limits, else cut: nodes first (in order), then
    edges, the run repeated in each piece (recordRun is idempotent per run)."""
    size = len(json.dumps(batch))
    nodes = list(batch.get("nodes") or [])
    edges = list(batch.get("edges") or [])
    fits = (
        elements(batch) <= max_elements
        and size <= max_body // 2
        and len(nodes) <= MAX_NODES_PER_BATCH
        and len(edges) <= MAX_EDGES_PER_BATCH
    )
    if fits or not (nodes or edges):  # a run alone is sent as it is (the server judges it)
        yield batch
        return
    # Pieces small enough by count (with the run, which each piece repeats) and, on average,
    # by size.
    per = max(1, min(max_elements - 1, int(max_elements * (max_body // 2) / max(size, 1))))
    for i in range(0, len(nodes), per):
        yield {"run": batch["run"], "nodes": nodes[i : i + per], "edges": []}
    for i in range(0, len(edges), per):
        yield {"run": batch["run"], "nodes": [], "edges": edges[i : i + per]}


T = TypeVar("T")

# A recordRuns body around its inputs: the document, {"query": …, "variables": {"input": […]}}.
GROUP_OVERHEAD = 1_024


def grouped(
    pieces: Iterable[tuple[T, dict[str, Any]]], max_elements: int, max_body: int
) -> Iterator[list[tuple[T, dict[str, Any]]]]:
    """Consecutive ``(tag, recordRun input)`` pairs, in order, as ``recordRuns`` requests: a
    group holds at most ``max_elements`` elements, half of ``max_body`` of JSON (measured as
    ``split`` does, plus a comma per input and the request around them), 1,000 batches, and
    nodes and edges together within one batch's limits. A piece that alone exceeds a limit is
    a group of its own, sent as it was before there were groups."""
    group: list[tuple[T, dict[str, Any]]] = []
    count = size = nodes = edges = 0
    for tag, batch in pieces:
        n, e = len(batch.get("nodes") or []), len(batch.get("edges") or [])
        c, s = 1 + n + e, len(json.dumps(batch)) + 1
        if group and (
            count + c > max_elements
            or GROUP_OVERHEAD + size + s > max_body // 2
            or len(group) >= MAX_BATCHES_PER_REQUEST
            or nodes + n > MAX_NODES_PER_BATCH
            or edges + e > MAX_EDGES_PER_BATCH
        ):
            yield group
            group, count, size, nodes, edges = [], 0, 0, 0, 0
        group.append((tag, batch))
        count, size, nodes, edges = count + c, size + s, nodes + n, edges + e
    if group:
        yield group
