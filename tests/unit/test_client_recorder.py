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


async def test_both_clients_retry_and_give_up_alike() -> None:
    """The sync and async clients share their retry loop: the same attempts, jittered waits
    under the policy's cap, and the same final ``Unavailable``."""
    script: tuple[Any, ...] = (
        httpx.ConnectError("refused"),
        429,
        (503, {}),
        (503, {"error": {"code": "X"}}),
    )
    sync_server, async_server = Server(*script), Server(*script)
    policy = RetryPolicy(retries=3, cap=0.5)
    sync_slept: list[float] = []
    async_slept: list[float] = []

    async def sleep(seconds: float) -> None:
        async_slept.append(seconds)

    sync = Client(
        "http://pg.test",
        transport=httpx.MockTransport(sync_server),
        retry=policy,
        sleep=sync_slept.append,
    )
    asynchronous = AsyncClient(
        "http://pg.test", transport=httpx.MockTransport(async_server), retry=policy, sleep=sleep
    )
    with pytest.raises(Unavailable) as sync_gave_up:
        sync.graphql("{ __typename }")
    with pytest.raises(Unavailable) as async_gave_up:
        await asynchronous.graphql("{ __typename }")
    await asynchronous.aclose()
    for gave_up in (sync_gave_up.value, async_gave_up.value):
        assert gave_up.message == "gave up after 4 attempts: X"
        assert (gave_up.code, gave_up.status) == ("X", 503)
    assert len(sync_server.batches) == len(async_server.batches) == 4
    for waits in (sync_slept, async_slept):
        assert len(waits) == 3 and all(0 <= w <= 0.5 for w in waits)


async def test_both_clients_ask_the_forensic_questions_alike() -> None:
    """Each helper sends the same document and variables from either client and answers with
    its field of the data."""
    asked: list[tuple[str, str, dict[str, Any]]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        field = body["query"].split("{", 2)[1].split("(")[0].strip()
        asked.append((field, body["query"], body["variables"]))
        return httpx.Response(200, json={"data": {field: {"asked": field}}})

    questions: list[tuple[str, tuple[Any, ...]]] = [
        ("ancestors", ("n1", 2)),
        ("descendants", ("n1",)),
        ("lineage", ("n1", "n2", 4)),
        ("run_diff", ("r1", "r2")),
        ("verify_run", ("r1",)),
    ]
    sync = Client("http://pg.test", transport=httpx.MockTransport(answer))
    asynchronous = AsyncClient("http://pg.test", transport=httpx.MockTransport(answer))
    fields = ["ancestors", "descendants", "lineage", "runDiff", "verifyRun"]
    for (name, args), field in zip(questions, fields, strict=True):
        assert getattr(sync, name)(*args) == {"asked": field}
        assert await getattr(asynchronous, name)(*args) == {"asked": field}
    await asynchronous.aclose()
    sync.close()
    assert [a[0] for a in asked] == [f for f in fields for _ in (0, 1)]
    assert asked[0::2] == asked[1::2]  # the async client asked as the sync one did
    assert [a[2] for a in asked[0::2]] == [
        {"id": "n1", "depth": 2},
        {"id": "n1", "depth": 3},
        {"from": "n1", "to": "n2", "maxDepth": 4},
        {"run": "r1", "other": "r2"},
        {"run": "r1"},
    ]
