"""Roll-ups: tokens, cost, latency and errors over a run, a session, an agent, a traversal
answer, per model; a 5,000-node traversal rolled up in one engine round trip."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tests.app_state import app_state
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import record

PART = "runs nodes tokens cost latencyMs errors model"
ROLLUP = f"rollup {{ total {{ {PART} }} byModel {{ {PART} }} }}"


def costly_run(
    run_id: str, *, agent: str, model: str, session: str, tokens: int, error: bool = False
) -> dict[str, Any]:
    p = f"{run_id}:"
    call: dict[str, Any] = {
        "id": p + "call",
        "kind": "TOOL_CALL",
        "step": 1,
        "toolName": "search",
        "arguments": "{}",
        "tokens": tokens,
        "cost": 0.25,
        "latencyMs": 200,
    }
    if error:
        call["error"] = "timeout"
    return {
        "run": {
            "id": run_id,
            "agentId": agent,
            "sessionId": session,
            "startedAt": "2026-01-01T00:00:00Z",
            "metadata": f'{{"model": "{model}"}}',
        },
        "nodes": [
            {"id": p + "in", "kind": "INPUT", "step": 0, "text": "q"},
            {
                "id": p + "d",
                "kind": "DECISION",
                "step": 1,
                "tokens": tokens,
                "cost": 0.5,
                "latencyMs": 100,
            },
            call,
            {"id": p + "out", "kind": "OUTPUT", "step": 2, "text": "a"},
        ],
        "edges": [
            {"kind": "INFLUENCED", "source": p + "in", "target": p + "d"},
            {"kind": "TRIGGERED", "source": p + "d", "target": p + "call"},
            {"kind": "INFLUENCED", "source": p + "call", "target": p + "out"},
        ],
    }


async def data(client: httpx.AsyncClient, document: str, **variables: Any) -> Any:
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
async def runs(client: httpx.AsyncClient) -> None:
    for batch in (
        costly_run("a", agent="planner", model="m1", session="s", tokens=100),
        costly_run("b", agent="coder", model="m2", session="s", tokens=10, error=True),
        costly_run("c", agent="coder", model="m1", session="t", tokens=1),
    ):
        assert "errors" not in await record(client, batch)


async def test_run_session_agent_and_per_model(client: httpx.AsyncClient, runs: None) -> None:
    got = await data(
        client,
        f'{{ run(id: "a") {{ {ROLLUP} }} session(id: "s") {{ {ROLLUP} }}'
        f' coder: runsRollup(filter: {{agentId: "coder"}}) {{ total {{ {PART} }} }}'
        f" all: runsRollup {{ total {{ {PART} }} byModel {{ {PART} }} }} }}",
    )
    run = got["run"]["rollup"]["total"]
    assert (run["tokens"], run["cost"], run["latencyMs"], run["errors"]) == (200, 0.75, 300, 0)
    assert got["run"]["rollup"]["byModel"][0]["model"] == "m1"
    session = got["session"]["rollup"]
    assert (session["total"]["runs"], session["total"]["tokens"]) == (2, 220)
    assert session["total"]["errors"] == 1
    assert [(m["model"], m["tokens"]) for m in session["byModel"]] == [("m1", 200), ("m2", 20)]
    coder = got["coder"]["total"]
    assert (coder["runs"], coder["tokens"], coder["errors"]) == (2, 22, 1)
    every = got["all"]
    assert every["total"]["runs"] == 3 and every["total"]["nodes"] == 12
    assert [(m["model"], m["runs"], m["tokens"]) for m in every["byModel"]] == [
        ("m1", 2, 202),
        ("m2", 1, 20),
    ]
    bad = await gql(
        client,
        '{ runsRollup(filter: {startedAfter: "2026-02-01T00:00:00Z",'
        ' startedBefore: "2026-01-01T00:00:00Z"}) { total { runs } } }',
    )
    assert error_codes(bad) == ["BAD_USER_INPUT"]


async def test_what_led_to_an_output_cost(client: httpx.AsyncClient, runs: None) -> None:
    got = await data(client, f'{{ ancestors(nodeId: "b:out", depth: 10) {{ {ROLLUP} }} }}')
    total = got["ancestors"]["rollup"]["total"]
    # The output, the call (with its error), the decision and the input of run b.
    assert (total["nodes"], total["runs"], total["tokens"], total["errors"]) == (4, 1, 20, 1)
    assert total["cost"] == 0.75 and total["latencyMs"] == 300
    assert got["ancestors"]["rollup"]["byModel"][0]["model"] == "m2"


async def test_a_5000_node_traversal_rolls_up_in_one_round_trip(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    size = 4999  # causes; with the origin 5,000 nodes
    batch = {
        "run": {"id": "wide", "metadata": '{"model": "m1"}'},
        "nodes": [
            {"id": f"w:{i}", "kind": "OBSERVATION", "step": 0, "tokens": 1, "cost": 0.001}
            for i in range(size)
        ]
        + [{"id": "w:out", "kind": "OUTPUT", "step": 1, "tokens": 5}],
        "edges": [
            {"kind": "INFLUENCED", "source": f"w:{i}", "target": "w:out"} for i in range(size)
        ],
    }
    assert "errors" not in await record(client, batch)
    stats = app_state(app).executor.stats
    plain = '{ ancestors(nodeId: "w:out", depth: 1) { truncated nodes { distance } } }'
    before = stats.queries
    await data(client, plain)
    without = stats.queries - before
    before = stats.queries
    got = await data(
        client,
        '{ ancestors(nodeId: "w:out", depth: 1) { truncated nodes { distance }'
        " rollup { total { nodes tokens } } } }",
    )
    assert stats.queries - before == without + 1
    assert got["ancestors"]["truncated"] is False
    assert got["ancestors"]["rollup"]["total"] == {"nodes": 5000, "tokens": size + 5}
