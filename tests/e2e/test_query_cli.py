"""``provgraph query`` against the app: arguments parsed as a user types them, real HTTP."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from provgraph.cli import build_parser
from provgraph.cli.query_cmd import execute
from tests.engines import EngineTarget
from tests.runs_fixtures import RECORD, record, sample_run
from tests.served import provgraph, served

URL = "http://provgraph.test/graphql"


async def cli(client: httpx.AsyncClient, *argv: str) -> tuple[int, str, str]:
    args = build_parser().parse_args(["query", "--url", URL, *argv])
    out, err = io.StringIO(), io.StringIO()
    code = await execute(args, client, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
async def two_runs(client: httpx.AsyncClient) -> None:
    assert "errors" not in await record(client, sample_run("run-1"))
    assert "errors" not in await record(client, sample_run("run-2", tool_result="31C"))


async def test_run_subgraph_as_a_table_and_as_json(
    client: httpx.AsyncClient, two_runs: None
) -> None:
    code, out, _ = await cli(client, "--run-id", "run-1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("run run-1 (succeeded, agent agent-x): all steps, 8 nodes, 7 edges")
    assert lines[1].split() == ["STEP", "KIND", "ID", "CONTENT"]
    assert any(
        line.split()[:3] == ["1", "tool_call", "run-1:call"] and 'weather({"city":' in line
        for line in lines
    )
    assert "  run-1:d1 -consumed-> run-1:mem" in lines
    code, out, _ = await cli(client, "--run-id", "run-1", "--step", "2", "--format", "json")
    data: dict[str, Any] = json.loads(out)
    sub = data["runSubgraph"]
    assert sub["step"] == 2
    assert {n["nodeId"] for n in sub["nodes"]} == {
        "run-1:obs",
        "run-1:d2",
        "run-1:out",
        "run-1:res",
    }


async def test_ancestors_as_a_tree(client: httpx.AsyncClient, two_runs: None) -> None:
    code, out, _ = await cli(client, "--node-id", "run-1:d2", "--depth", "3")
    assert code == 0
    assert out.splitlines() == [
        # run-1:d1 (which triggered the call) and its memory lie beyond depth 3: said so.
        "run-1:d2 [decision]: 3 ancestors within depth 3; more lie beyond that depth "
        "(--depth to go further)",
        "└─ run-1:obs [observation, step 2] via influenced  It is mild",
        "   └─ run-1:res [tool_result, step 1] via influenced  22C",
        '      └─ run-1:call [tool_call, step 1] via produced  weather({"city": "Paris"})',
    ]


async def test_descendants_as_json_are_stable(client: httpx.AsyncClient, two_runs: None) -> None:
    argv = ("--node-id", "run-1:res", "--direction", "descendants", "--format", "json")
    code, out, _ = await cli(client, *argv)
    assert code == 0
    t = json.loads(out)["descendants"]
    assert [(n["node"]["nodeId"], n["distance"]) for n in t["nodes"]] == [
        ("run-1:obs", 1),
        ("run-1:d2", 2),
        ("run-1:out", 3),
    ]
    assert t["depth"] == 3 and t["truncated"] is False
    assert (await cli(client, *argv))[1] == out  # same answer, same bytes


async def test_diff_as_a_table(client: httpx.AsyncClient, two_runs: None) -> None:
    code, out, _ = await cli(client, "--run-id", "run-1", "--diff-run-id", "run-2")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "runs run-1 vs run-2: 2 differences over 3 steps; first divergent step: 1"
    assert lines[2].split()[:4] == ["1", "different_tool_result", "run-1:res:", "22C"]
    assert lines[3].split()[:2] == ["2", "different_output"]


async def test_verify_and_errors(client: httpx.AsyncClient, two_runs: None) -> None:
    code, out, _ = await cli(client, "--run-id", "run-1", "--verify")
    assert code == 0 and out.startswith("run run-1: OK (8 nodes, 7 edges; root digest matches)")
    code, _, err = await cli(client, "--node-id", "nope")
    assert code == 1 and err.startswith("provgraph query: NOT_FOUND:")
    code, _, err = await cli(client, "--step", "2")
    assert code == 2 and "give --run-id or --node-id" in err


async def test_sends_api_key_and_tenant_headers(client: httpx.AsyncClient) -> None:
    seen: list[httpx.Request] = []

    async def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"errors": [{"message": "no", "extensions": {"code": "UNAUTHENTICATED"}}]}
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(capture)) as fake:
        code, _, err = await cli(fake, "--run-id", "r", "--api-key", "k-123", "--tenant", "acme")
    assert code == 1 and "UNAUTHENTICATED" in err
    assert seen[0].headers["authorization"] == "Bearer k-123"
    assert seen[0].headers["x-provgraph-tenant"] == "acme"


@pytest.mark.slow
def test_query_command_against_a_served_process(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    """The whole path a user takes: `provgraph serve`, then `provgraph query` in a shell."""
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(tmp_path, engine=engine_target.settings_engine) as server:
        recorded = httpx.post(
            f"{server.url}/graphql",
            json={"query": RECORD, "variables": {"input": sample_run("cli-run")}},
            timeout=30,
        ).json()
        assert "errors" not in recorded, recorded
        url = f"{server.url}/graphql"
        done = provgraph(
            server.env,
            "query",
            "--url",
            url,
            "--node-id",
            "cli-run:out",
            "--depth",
            "2",
            "--format",
            "json",
        )
        assert done.returncode == 0, done.stderr
        nodes = json.loads(done.stdout)["ancestors"]["nodes"]
        assert [(n["node"]["nodeId"], n["distance"]) for n in nodes] == [
            ("cli-run:d2", 1),
            ("cli-run:obs", 2),
        ]
        text = provgraph(server.env, "query", "--url", url, "--run-id", "cli-run", "--step", "0")
        assert text.returncode == 0, text.stderr
        assert text.stdout.startswith("run cli-run (succeeded, agent agent-x): step 0")


async def test_list_search_session_and_prune(client: httpx.AsyncClient, two_runs: None) -> None:
    code, out, _ = await cli(client, "--list", "--agent", "agent-x", "--status", "succeeded")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 runs match; the 2 newest:"
    assert lines[1].split()[:3] == ["RUN", "AGENT", "STATUS"]
    assert {line.split()[0] for line in lines[2:]} == {"run-1", "run-2"}
    code, out, _ = await cli(client, "--list", "--tool", "nope", "--format", "json")
    assert code == 0 and json.loads(out)["runs"]["totalCount"] == 0
    code, out, _ = await cli(client, "--search", "weather", "--run-id", "run-2")
    assert code == 0 and " hits; the " in out.splitlines()[0]
    assert all(line.split()[3] == "run-2" for line in out.splitlines()[2:])
    code, out, _ = await cli(client, "--session", "none-such")
    assert code == 0 and out == "no such session\n"
    code, out, _ = await cli(client, "--prune", "2100-01-01T00:00:00Z")
    assert code == 0
    assert out.splitlines()[0].startswith(
        "runs started before 2100-01-01T00:00:00.000Z: would delete 2 runs"
    )
    code, out, _ = await cli(client, "--list")
    assert out.startswith("2 runs match")  # the dry run deleted nothing
    code, _, err = await cli(
        client,
        "--list",
        "--started-after",
        "2026-02-01T00:00:00Z",
        "--started-before",
        "2026-01-01T00:00:00Z",
    )
    assert code == 1 and err.startswith("provgraph query: BAD_USER_INPUT:")
    code, _, err = await cli(client, "--list", "--search", "x")
    assert code == 2 and "one of --list, --search, --prune" in err
    code, out, _ = await cli(client, "--prune", "2100-01-01T00:00:00Z", "--no-dry-run")
    assert code == 0 and "deleted 2 runs" in out
    code, out, _ = await cli(client, "--list")
    assert out.startswith("0 runs match")


async def test_session_in_the_cli(client: httpx.AsyncClient) -> None:
    batch = sample_run("run-s")
    batch["run"]["sessionId"] = "chat-9"
    assert "errors" not in await record(client, batch)
    code, out, _ = await cli(client, "--session", "chat-9")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("session chat-9: 1 runs from 2026-01-01T00:00:00.000Z")
    assert lines[2].split()[:3] == ["run-s", "agent-x", "succeeded"]
