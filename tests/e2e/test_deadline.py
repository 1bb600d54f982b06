"""The per-query time limit over GraphQL, on a dense graph: a lineage question that enumerates
an exponential number of paths is stopped by the engine itself at PROVGRAPH_QUERY_TIMEOUT and
answered DEADLINE_EXCEEDED; the server serves on, and ancestors/descendants (breadth-first, each
node expanded once) answer in full on the same graph. Needs its own embedded engine, started
with that limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.engine.connection import open_engine
from tests.engines import EngineTarget
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD

LAYERS, WIDTH = 12, 6  # WIDTH ** (LAYERS - 1) causal paths from the first layer to the last
TIMEOUT = 1.0


@pytest.fixture(autouse=True)
def _embedded_only(engine_target: EngineTarget) -> None:
    if engine_target.kind != "arcadedb-embedded":
        pytest.skip("starts its own embedded engine with a short time limit")


def dense_run() -> dict[str, Any]:
    """Layers of decisions, each node influenced by every node of the layer before."""
    nodes = [
        {"id": f"n{layer}-{i}", "kind": "DECISION", "step": layer, "text": f"{layer}/{i}"}
        for layer in range(LAYERS)
        for i in range(WIDTH)
    ]
    edges = [
        {"kind": "INFLUENCED", "source": f"n{layer}-{i}", "target": f"n{layer + 1}-{j}"}
        for layer in range(LAYERS - 1)
        for i in range(WIDTH)
        for j in range(WIDTH)
    ]
    return {"run": {"id": "dense"}, "nodes": nodes, "edges": edges}


@pytest.fixture
async def short_limit_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        data_dir=tmp_path, embedded_heap="512m", query_timeout=TIMEOUT, dev_tenant="deadline"
    )
    engine = await open_engine(settings)
    try:
        app = create_app(settings, engine=engine)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                yield client
    finally:
        await engine.close()


@pytest.mark.slow
async def test_an_exploding_question_is_deadline_exceeded_and_traversals_stay_linear(
    short_limit_client: httpx.AsyncClient,
) -> None:
    client = short_limit_client
    recorded = await gql(client, RECORD, {"input": dense_run()})
    assert "errors" not in recorded, recorded
    first, last = "n0-0", f"n{LAYERS - 1}-0"

    # No path of 10 hops or fewer joins them: every one of the 6^10 shorter paths is tried.
    lineage = f'{{ lineage(fromId: "{first}", toId: "{last}", maxDepth: 10) {{ truncated }} }}'
    body = await gql(client, lineage)
    assert error_codes(body) == ["DEADLINE_EXCEEDED"], body
    assert "time limit" in body["errors"][0]["message"]

    # Still serving; ancestors at the deepest depth answer completely on the same graph.
    deep = (
        f'{{ ancestors(nodeId: "{last}", depth: 10) '
        "{ truncated nodes { distance } edges { kind } } }"
    )
    body = await gql(client, deep)
    assert "errors" not in body, body
    answer = body["data"]["ancestors"]
    assert not answer["truncated"]
    assert sorted({n["distance"] for n in answer["nodes"]}) == list(range(1, 11))
    assert len(answer["nodes"]) == 10 * WIDTH
    assert len(answer["edges"]) == 9 * WIDTH * WIDTH + WIDTH  # every edge among them
