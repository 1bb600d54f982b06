"""Claude Code hook events over HTTP: one run per conversation, turns as steps, tool calls
linked to their results, subagents as sub-runs; unknown events refused."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.cli.hooks_cmd import snippet
from provgraph.runs.service import RunService
from tests.app_state import app_state

SESSION = "9f1c2d3e-0000-4000-8000-00000000abcd"
RUN = f"claude-{SESSION}"


def event(name: str, **fields: Any) -> dict[str, Any]:
    return {"session_id": SESSION, "hook_event_name": name, "cwd": "/repo", **fields}


CONVERSATION = [
    event("UserPromptSubmit", prompt="fix the failing test"),
    event("PreToolUse", tool_name="Bash", tool_input={"command": "pytest"}, tool_use_id="toolu_1"),
    event(
        "PostToolUse",
        tool_name="Bash",
        tool_input={"command": "pytest"},
        tool_response={"stdout": "1 failed"},
        tool_use_id="toolu_1",
    ),
    event("PreToolUse", tool_name="Task", tool_input={"prompt": "look"}, tool_use_id="toolu_2"),
    event("SubagentStop", stop_hook_active=False),
    event(
        "PostToolUse",
        tool_name="Task",
        tool_input={"prompt": "look"},
        tool_response="found it",
        tool_use_id="toolu_2",
    ),
    event("Stop", stop_hook_active=False),
    event("UserPromptSubmit", prompt="thanks"),
    event("PostToolUse", tool_name="Read", tool_input={"file": "a.py"}, tool_response="x"),
    event("Stop", stop_hook_active=False),
]


def runs(app: Starlette) -> RunService:
    return app_state(app).services.get(RunService)


async def post(client: httpx.AsyncClient, payload: dict[str, Any]) -> httpx.Response:
    return await client.post("/hooks/claude-code", json=payload)


async def test_a_conversation_is_one_run(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    for payload in CONVERSATION:
        response = await post(client, payload)
        assert response.status_code == 200, response.text
    service = runs(app)
    run = await service.require_run(tenant, RUN)
    assert run.session_id == SESSION and run.status == "succeeded"
    graph = await service.subgraph(tenant, RUN, None)
    by_id = {n.id: n for n in graph.nodes}
    assert by_id[f"{RUN}-turn-1"].text == "fix the failing test"
    assert by_id[f"{RUN}-turn-2"].step == 2
    call, result = by_id[f"{RUN}-tool-toolu_1"], by_id[f"{RUN}-result-toolu_1"]
    assert (call.kind, call.tool_name, call.step) == ("tool_call", "Bash", 1)
    assert json.loads(call.arguments or "") == {"command": "pytest"}
    assert json.loads(result.text or "") == {"stdout": "1 failed"}
    edges = {(e.kind.value, e.source, e.target) for e in graph.edges}
    assert ("triggered", f"{RUN}-turn-1", f"{RUN}-tool-toolu_1") in edges
    assert ("produced", f"{RUN}-tool-toolu_1", f"{RUN}-result-toolu_1") in edges
    assert ("influenced", f"{RUN}-result-toolu_1", f"{RUN}-tool-toolu_2") in edges
    assert ("influenced", f"{RUN}-stop-1", f"{RUN}-turn-2") in edges
    # A PostToolUse without its PreToolUse records the call too, in the second turn.
    read_calls = [n for n in graph.nodes if n.tool_name == "Read" and n.kind == "tool_call"]
    assert [n.step for n in read_calls] == [2]
    # The subagent: a sub-run triggered by the Task call.
    sub = await service.require_run(tenant, f"{RUN}-agent-toolu_2")
    assert json.loads(sub.metadata or "")["parent_run_id"] == RUN
    assert sub.session_id == SESSION
    traversal = await service.traverse(tenant, f"{RUN}-agent-toolu_2-stop", ancestors=True, depth=5)
    assert f"{RUN}-tool-toolu_2" in {n.id for n in traversal.nodes}


async def test_re_sent_hooks_change_nothing(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    for payload in CONVERSATION[:3]:
        await post(client, payload)
    before = await runs(app).require_run(tenant, RUN)
    for payload in CONVERSATION[:3]:
        assert (await post(client, payload)).status_code == 200
    after = await runs(app).require_run(tenant, RUN)
    assert (after.node_count, after.edge_count) == (before.node_count, before.edge_count)


async def test_subagent_events_with_agent_id_go_to_its_sub_run(
    client: httpx.AsyncClient, app: Starlette, tenant: str
) -> None:
    await post(client, CONVERSATION[0])
    await post(client, CONVERSATION[3])
    response = await post(
        client,
        event(
            "PreToolUse",
            tool_name="Grep",
            tool_input={"p": "x"},
            tool_use_id="toolu_9",
            agent_id="ag1",
        ),
    )
    assert response.status_code == 200, response.text
    assert response.json()["run"] == f"{RUN}-agent-ag1"
    assert (await post(client, event("SubagentStop", agent_id="ag1"))).status_code == 200
    [call] = await runs(app).get_nodes(tenant, [f"{RUN}-tool-toolu_9"])
    assert call.run_id == f"{RUN}-agent-ag1"
    assert (await runs(app).require_run(tenant, f"{RUN}-agent-ag1")).status == "succeeded"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (event("Notification", message="hi"), "hookEventName"),
        ({"hook_event_name": "Stop"}, "sessionId"),
        (event("PreToolUse", tool_input={}), "toolName"),
        (event("UserPromptSubmit"), "prompt"),
        (event("Stop", session_id="has space"), None),
        (event("SubagentStop"), "agentId"),
    ],
)
async def test_bad_hook_events_are_typed_errors(
    client: httpx.AsyncClient,
    app: Starlette,
    tenant: str,
    payload: dict[str, Any],
    field: str | None,
) -> None:
    response = await post(client, payload)
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert await runs(app).get_run(tenant, RUN) is None


async def test_malformed_bodies_are_typed_errors(client: httpx.AsyncClient) -> None:
    for body in (b"{", b"[1]"):
        response = await client.post("/hooks/claude-code", content=body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_settings_snippet_sends_every_event_with_the_key() -> None:
    hooks = snippet("http://pg:8000", "pgk_secret")["hooks"]
    assert set(hooks) == {"UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SubagentStop"}
    command = hooks["PostToolUse"][0]["hooks"][0]["command"]
    assert "http://pg:8000/hooks/claude-code" in command
    assert "Authorization: Bearer pgk_secret" in command
