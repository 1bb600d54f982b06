"""Subscriptions over graphql-transport-ws on /graphql, with a real websocket client against a
real `provgraph serve`: keys in connection_init, refusal before any data, tenant filtering."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.engines import EngineTarget
from tests.runs_fixtures import RECORD, sample_run
from tests.served import Served, provgraph, served

pytestmark = pytest.mark.slow
PROTOCOL = "graphql-transport-ws"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, engine_target: EngineTarget
) -> Iterator[tuple[Served, dict[str, str]]]:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    data: Path = tmp_path_factory.mktemp("subscriptions")
    with served(data, require_api_keys="true", engine=engine_target.settings_engine) as s:
        keys = {}
        for tenant in ("acme", "other"):
            made = provgraph(s.env, "keys", "create", "--tenant", tenant, "--format", "json")
            assert made.returncode == 0, made.stderr
            keys[tenant] = json.loads(made.stdout)["token"]
        yield s, keys


def ws_url(server: Served) -> str:
    return server.url.replace("http://", "ws://") + "/graphql"


async def post(server: Served, key: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(
            f"{server.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {key}"},
        )
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body
    return body


async def open_subscriptions(server: Served) -> int:
    """The server's own count of open subscriptions, from /metrics."""
    async with httpx.AsyncClient(timeout=30) as http:
        text = (await http.get(f"{server.url}/metrics")).text
    for line in text.splitlines():
        if line.startswith("provgraph_subscriptions "):
            return int(float(line.split()[1]))
    raise AssertionError("/metrics has no provgraph_subscriptions")


async def text_frame(ws: ClientConnection, wait: float) -> str:
    """The next message, which graphql-transport-ws sends as a text frame (browser clients
    read nothing else)."""
    message = await asyncio.wait_for(ws.recv(), wait)
    assert isinstance(message, str), f"a binary frame: {message[:80]!r}"
    return message


async def start(
    server: Served, ws: ClientConnection, key: str | None, query: str, variables: dict[str, Any]
) -> None:
    before = await open_subscriptions(server)
    payload = {"Authorization": f"Bearer {key}"} if key else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    ack = json.loads(await text_frame(ws, 10))
    assert ack["type"] == "connection_ack", ack
    await ws.send(
        json.dumps(
            {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
    )
    # Registered once the server has read the message: wait until its count shows it (a
    # subscription of an earlier test closing at the same moment only makes this wait longer).
    for _ in range(100):
        if await open_subscriptions(server) > before:
            return
        await asyncio.sleep(0.05)


async def next_data(ws: ClientConnection, wait: float = 15) -> dict[str, Any]:
    while True:
        message = json.loads(await text_frame(ws, wait))
        if message["type"] == "ping":
            await ws.send(json.dumps({"type": "pong"}))
            continue
        assert message["type"] == "next", message
        data: dict[str, Any] = message["payload"]
        assert "errors" not in data, data
        answer: dict[str, Any] = data["data"]
        return answer


ELEMENTS = """subscription($runId: String!) {
  runElementsAdded(runId: $runId) { runId nodes { id kind step } edges { kind source target } }
}"""


@pytest.mark.parametrize("key", ["pgk_not-a-key", None])
async def test_invalid_or_missing_key_is_refused_before_any_data(
    server: tuple[Served, dict[str, str]], key: str | None
) -> None:
    s, _ = server
    async with connect(ws_url(s), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        payload = {"Authorization": f"Bearer {key}"} if key else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_subscribe_before_init_is_refused(server: tuple[Served, dict[str, str]]) -> None:
    s, _ = server
    async with connect(ws_url(s), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": ELEMENTS}}))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_new_nodes_and_edges_of_a_run_arrive_for_its_tenant_only(
    server: tuple[Served, dict[str, str]],
) -> None:
    s, keys = server
    async with (
        connect(ws_url(s), subprotocols=[PROTOCOL]) as mine,  # type: ignore[list-item]
        connect(ws_url(s), subprotocols=[PROTOCOL]) as theirs,  # type: ignore[list-item]
    ):
        await start(s, mine, keys["acme"], ELEMENTS, {"runId": "live-1"})
        await start(s, theirs, keys["other"], ELEMENTS, {"runId": "live-1"})
        recorded = await post(s, keys["acme"], RECORD, {"input": sample_run("live-1")})
        data = (await next_data(mine))["runElementsAdded"]
        assert data["runId"] == "live-1"
        assert len(data["nodes"]) == recorded["data"]["recordRun"]["nodesCreated"]
        assert len(data["edges"]) == recorded["data"]["recordRun"]["edgesCreated"]
        assert [n["step"] for n in data["nodes"]] == sorted(n["step"] for n in data["nodes"])
        # The other tenant's subscriber of the same run id sees nothing of acme's write...
        with pytest.raises(TimeoutError):
            await next_data(theirs, wait=1.5)
        # ...and its own tenant's write of that run id reaches it, not acme.
        await post(s, keys["other"], RECORD, {"input": sample_run("live-1")})
        assert (await next_data(theirs))["runElementsAdded"]["runId"] == "live-1"
        with pytest.raises(TimeoutError):
            await next_data(mine, wait=1.5)
        # A replay creates nothing: no event.
        await post(s, keys["acme"], RECORD, {"input": sample_run("live-1")})
        with pytest.raises(TimeoutError):
            await next_data(mine, wait=1.5)


async def test_run_status_changes(server: tuple[Served, dict[str, str]]) -> None:
    s, keys = server
    query = "subscription { runStatusChanged { runId status } }"
    async with connect(ws_url(s), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await start(s, ws, keys["acme"], query, {})
        running = sample_run("live-2")
        running["run"]["status"] = "RUNNING"
        await post(s, keys["acme"], RECORD, {"input": running})
        assert (await next_data(ws))["runStatusChanged"] == {"runId": "live-2", "status": "RUNNING"}
        await post(s, keys["acme"], RECORD, {"input": sample_run("live-2")})
        changed = (await next_data(ws))["runStatusChanged"]
        assert changed == {"runId": "live-2", "status": "SUCCEEDED"}


async def test_task_changes(server: tuple[Served, dict[str, str]]) -> None:
    s, keys = server
    query = "subscription { taskChanged { change task { id title status } } }"
    async with connect(ws_url(s), subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await start(s, ws, keys["acme"], query, {})
        created = await post(
            s,
            keys["acme"],
            "mutation($input: CreateTaskInput!) { createTask(input: $input) { nativeId } }",
            {"input": {"namespace": "https://github.com/o/r", "title": "watch me"}},
        )
        task_id = created["data"]["createTask"]["nativeId"]
        event = (await next_data(ws))["taskChanged"]
        assert event["change"] == "CREATED" and event["task"]["title"] == "watch me"
        await post(
            s,
            keys["acme"],
            "mutation($id: String!) { updateTask(id: $id, input: {status: IN_PROGRESS}) { id } }",
            {"id": task_id},
        )
        event = (await next_data(ws))["taskChanged"]
        assert event["change"] == "UPDATED" and event["task"]["status"] == "IN_PROGRESS"
