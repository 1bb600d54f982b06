"""Bounded work per document: fragment bombs and over-budget operations are refused before
they run, and one request's parsing or validation never holds up the others."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.core.api.cost import FIELD_WEIGHTS
from provgraph.engine.connection import Engine
from tests.app_state import app_state
from tests.graphql_client import error_codes, gql
from tests.unit.test_document_cost import fragment_bomb


async def test_a_fragment_bomb_is_refused_fast_with_a_typed_error(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    stats = app_state(app).executor.stats
    before = stats.queries
    body = await gql(client, fragment_bomb(24))
    # Refused having counted 2^24 fields without walking them, and before any engine work.
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["errors"][0]["extensions"]["fields"] == 2**24
    assert body["errors"][0]["extensions"]["limit"] == 10_000
    assert body["data"] is None
    assert stats.queries == before


async def _healthz_during(
    client: httpx.AsyncClient, query: str
) -> tuple[float, int, dict[str, Any]]:
    """Ask /healthz again and again while ``query`` is handled: the longest time between two
    answers, how many answers came, and the reply. A held event loop answers nothing until the
    document is done, so it gives at most one answer, whoever asked first."""
    slowest, answers = 0.0, 0
    request = asyncio.create_task(client.post("/graphql", json={"query": query}))
    answered = time.perf_counter()
    while not request.done():
        await asyncio.sleep(0.01)
        health = await client.get("/healthz")
        assert health.status_code == 200
        now = time.perf_counter()
        slowest, answered, answers = max(slowest, now - answered), now, answers + 1
    body: dict[str, Any] = (await request).json()
    return slowest, answers, body


async def test_healthz_answers_while_a_fragment_bomb_is_handled(
    client: httpx.AsyncClient,
) -> None:
    # 2^20 expansions: seconds of validation on the event loop, were it not refused first.
    slowest, _, body = await _healthz_during(client, fragment_bomb(20))
    assert slowest < 0.5, f"/healthz took {slowest:.2f}s"
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_healthz_answers_while_a_big_document_is_validated(
    client: httpx.AsyncClient,
) -> None:
    # Within the token and expanded-field limits, but graphql-core's validation compares the
    # 1,200 same-named fields pairwise (about a second of pure Python, then it gives up with
    # "Validation aborted"): that runs in a worker thread, not on the event loop.
    heavy = f"# {uuid.uuid4()}\n{{ " + "serverInfo { version } " * 1200 + "}"
    started = time.perf_counter()
    slowest, answers, body = await _healthz_during(client, heavy)
    elapsed = time.perf_counter() - started
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert elapsed > 0.3, "the document was too cheap to show anything"
    # Counted, not clocked: the worker thread shares the GIL with the loop, so on a loaded
    # machine single gaps vary, but a loop that was never held keeps answering.
    assert answers >= 3, f"/healthz answered {answers} times in {elapsed:.2f}s"
    assert slowest < elapsed / 2, f"/healthz waited {slowest:.2f}s of {elapsed:.2f}s"


async def test_thirty_verify_runs_are_refused_before_any_engine_work(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    stats = app_state(app).executor.stats
    before = (stats.queries, stats.transactions)
    aliases = " ".join(f'v{i}: verifyRun(runId: "r{i}") {{ ok }}' for i in range(30))
    body = await gql(client, f"{{ {aliases} }}")
    assert error_codes(body) == ["QUERY_TOO_COSTLY"]
    extensions = body["errors"][0]["extensions"]
    assert extensions["cost"] == 30 * FIELD_WEIGHTS["Query.verifyRun"]
    assert extensions["budget"] == 100_000
    assert "budget is 100000" in body["errors"][0]["message"]
    assert body["data"] is None
    assert (stats.queries, stats.transactions) == before, "a refused document reached the engine"


async def test_the_budget_is_a_setting(
    client: httpx.AsyncClient, settings: Settings, engine: Engine
) -> None:
    # Within the default budget, ten verifyRun run (a missing run is NOT_FOUND).
    aliases = " ".join(f'v{i}: verifyRun(runId: "nope{i}") {{ ok }}' for i in range(10))
    assert set(error_codes(await gql(client, f"{{ {aliases} }}"))) == {"NOT_FOUND"}
    page = "query ($n: Int) { tasks(first: $n) { edges { node { id } } } }"
    assert error_codes(await gql(client, page, {"n": 500})) == []
    # With PROVGRAPH_MAX_QUERY_COST=100, a page of 500 tasks is over budget.
    small = create_app(settings.model_copy(update={"max_query_cost": 100}), engine=engine)
    async with small.router.lifespan_context(small):
        transport = httpx.ASGITransport(app=small)
        async with httpx.AsyncClient(transport=transport, base_url="http://provgraph.test") as c:
            body = await gql(c, page, {"n": 500})
            assert error_codes(body) == ["QUERY_TOO_COSTLY"]
            assert body["errors"][0]["extensions"] == {
                "code": "QUERY_TOO_COSTLY",
                "cost": 501,
                "budget": 100,
            }
            assert error_codes(await gql(c, page, {"n": 99})) == []
