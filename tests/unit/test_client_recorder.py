"""The recorder's own logic (buffering, ids, retries, typed errors) over httpx.MockTransport.

Only the client's behaviour is faked here; tests/e2e/test_client.py records against a server."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from provgraph.client import (
    AsyncClient,
    AsyncRecorder,
    BadRequest,
    Client,
    Conflict,
    Recorder,
    RetryPolicy,
    Unauthenticated,
    Unavailable,
)

OK = {"data": {"recordRun": {"nodesCreated": 1, "edgesCreated": 0, "changed": True}}}


class Server:
    """Answers recordRun from a script of answers (then OK), keeping every batch it got."""

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.batches: list[dict[str, Any]] = []
        self.auth: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.auth.append(request.headers.get("authorization"))
        self.batches.append(json.loads(request.content)["variables"].get("input", {}))
        step = self.script.pop(0) if self.script else 200
        if isinstance(step, Exception):
            raise step
        if isinstance(step, tuple):
            return httpx.Response(step[0], json=step[1])
        return httpx.Response(step, json=OK if step == 200 else {"error": {"code": "X"}})


def client(server: Server, retries: int = 5) -> Client:
    slept: list[float] = []
    c = Client(
        "http://pg.test",
        "pgk_test",
        transport=httpx.MockTransport(server),
        retry=RetryPolicy(retries=retries),
        sleep=slept.append,
    )
    c.slept = slept  # type: ignore[attr-defined]
    return c


def test_buffers_until_full_then_sends_with_deterministic_ids() -> None:
    server = Server()
    with Recorder("r1", client=client(server), batch_size=4, agent_id="a") as run:
        q = run.input("question")
        d = run.decision("think", causes=q, tokens=3)
        assert server.batches == []  # 2 nodes + 1 edge buffered
        call = run.tool_call("search", {"q": "x"}, causes=d)  # 4th element: sent
        assert len(server.batches) == 1
        res = run.tool_result(call, "found")
        run.output("answer", causes=[d, res])
    assert (q, d, call, res) == ("r1/0", "r1/1", "r1/2", "r1/3")
    # Sent when the 4th element (the call) was buffered, again at the output, then on close.
    first, second, last = server.batches
    assert [n["id"] for n in first["nodes"]] == ["r1/0", "r1/1", "r1/2"]
    assert first["run"]["status"] == "RUNNING" and first["run"]["agentId"] == "a"
    assert [n["kind"] for n in second["nodes"]] == ["TOOL_RESULT", "OUTPUT"]
    assert last["nodes"] == [] and len(last["edges"]) == 2
    assert last["run"]["status"] == "SUCCEEDED" and "endedAt" in last["run"]
    edges = [e for b in server.batches for e in b["edges"]]
    assert {(e["kind"], e["source"], e["target"]) for e in edges} == {
        ("INFLUENCED", "r1/0", "r1/1"),
        ("TRIGGERED", "r1/1", "r1/2"),
        ("PRODUCED", "r1/2", "r1/3"),
        ("INFLUENCED", "r1/1", "r1/4"),
        ("INFLUENCED", "r1/3", "r1/4"),
    }
    assert json.loads(first["nodes"][2]["arguments"]) == {"q": "x"}
    assert [n["step"] for n in first["nodes"]] == [0, 1, 1]  # a decision opens a step
    assert server.auth[0] == "Bearer pgk_test"


def test_transport_errors_and_503_are_retried_with_the_same_batch() -> None:
    server = Server(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), 503, 200)
    c = client(server)
    run = Recorder("r2", client=c)
    run.input("q")
    run.flush()
    assert len(server.batches) == 4
    assert all(b == server.batches[0] for b in server.batches)  # the retry is the same batch
    assert len(c.slept) == 3  # type: ignore[attr-defined]
    assert run.sent.batches == 1 and run.pending is None


def test_a_graphql_service_unavailable_is_retried_and_retry_after_is_honoured() -> None:
    busy = {"errors": [{"message": "busy", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
    server = Server((200, busy), 200)
    c = client(server)
    c.graphql("{ __typename }")
    assert len(server.batches) == 2


def test_giving_up_keeps_the_batch_for_the_next_flush() -> None:
    server = Server(503, 503, 503)
    c = client(server, retries=2)
    run = Recorder("r3", client=c)
    run.input("q")
    with pytest.raises(Unavailable):
        run.flush()
    assert run.pending is not None
    run.output("a")
    run.flush()  # the undelivered batch first, then the new one
    assert [b["nodes"][0]["id"] for b in server.batches[3:]] == ["r3/0", "r3/1"]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((401, {"error": {"code": "UNAUTHENTICATED", "message": "no key"}}), Unauthenticated),
        (
            (
                200,
                {
                    "errors": [
                        {
                            "message": "bad",
                            "extensions": {"code": "BAD_USER_INPUT", "field": "nodes"},
                        }
                    ]
                },
            ),
            BadRequest,
        ),
        ((200, {"errors": [{"message": "x", "extensions": {"code": "CONFLICT"}}]}), Conflict),
    ],
)
def test_4xx_and_user_errors_are_typed_and_never_retried(
    answer: tuple[int, dict[str, Any]], error: type[Exception]
) -> None:
    server = Server(answer)
    run = Recorder("r4", client=client(server))
    run.input("q")
    with pytest.raises(error):
        run.flush()
    assert len(server.batches) == 1


def test_leaving_with_an_exception_marks_the_run_failed() -> None:
    server = Server()
    with pytest.raises(RuntimeError), Recorder("r5", client=client(server)) as run:
        run.input("q")
        raise RuntimeError("agent crashed")
    assert server.batches[-1]["run"]["status"] == "FAILED"


async def test_async_recorder_buffers_retries_and_closes() -> None:
    server = Server(httpx.ConnectError("refused"), 200)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    c = AsyncClient("http://pg.test", transport=httpx.MockTransport(server), sleep=sleep)
    async with AsyncRecorder("r6", client=c, session_id="s") as run:
        d = run.decision("think")
        run.memory_fact("fact")
        run.observation("seen", causes=d)
        await run.flush()
    await c.aclose()
    assert len(slept) == 1
    assert [len(b["nodes"]) for b in server.batches] == [3, 3, 0]
    assert server.batches[-1]["run"] == {
        **server.batches[-1]["run"],
        "status": "SUCCEEDED",
        "sessionId": "s",
    }


def test_the_client_imports_nothing_of_the_server() -> None:
    import ast
    from pathlib import Path

    import provgraph.client

    for path in Path(provgraph.client.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("provgraph.") or node.module.startswith(
                    "provgraph.client"
                ), (path.name, node.module)
