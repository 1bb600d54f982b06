"""Subscriptions: what subscribing sends (nothing), what each event sends (the nodes or run it
names), and that events follow the tenant and the key they were asked for. No engine: events
come from a mutation through the recording executor, announced after its (recorded) commit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request

from provgraph.core.api.context import Context, Principal
from provgraph.core.api.state import AppState
from provgraph.schema import build_schema
from tests.tck.harness import TENANT, Tck, covers, tck_settings
from tests.tck.rows import NS, run, task

RECORD = """mutation($input: RecordRunInput!) { recordRun(input: $input) { changed } }"""
BATCH = {
    "run": {"id": "run-1", "status": "RUNNING"},
    "nodes": [
        {"id": "n1", "kind": "OBSERVATION", "step": 1, "text": "saw"},
        {"id": "n2", "kind": "DECISION", "step": 1, "text": "chose"},
    ],
    "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
}


async def _subscribe(
    app: Starlette, document: str, variables: dict[str, Any], tenant: str = TENANT
) -> AsyncIterator[Any]:
    state: AppState = app.state.provgraph
    request = Request({"type": "http", "method": "POST", "headers": [], "app": app})
    context = Context(
        request=request,
        response=None,
        services=state.services,
        settings=state.settings,
        principal=Principal(tenant),
    )
    stream = await build_schema(tck_settings()).subscribe(
        document, variable_values=variables, context_value=context
    )
    assert not hasattr(stream, "errors"), stream
    events: AsyncIterator[Any] = stream
    return events


async def _next_after(app: Starlette, events: AsyncIterator[Any], send: Any) -> Any:
    """Start listening, wait until the bus has the subscriber, run ``send``, then the event."""
    state: AppState = app.state.provgraph
    before = state.events.subscribers
    waiting = asyncio.ensure_future(events.__anext__())
    for _ in range(500):  # the generator subscribes on its first step
        if state.events.subscribers > before or waiting.done():
            break
        await asyncio.sleep(0.01)
    await send()
    return await asyncio.wait_for(waiting, 5)


def _answers(tck: Tck) -> None:
    written = {**run("run-1", status="running"), "nodes_created": 2, "edges_created": 1}
    tck.answer("runs/write_batch", [written])


@covers("Subscription.runElementsAdded")
async def test_run_elements_added_reads_the_new_nodes_once_the_batch_committed(
    tck: Tck, tck_app: Starlette
) -> None:
    _answers(tck)
    events = await _subscribe(
        tck_app,
        "subscription($r: String!) { runElementsAdded(runId: $r) { runId "
        "edges { kind source target } nodes { nodeId } } }",
        {"r": "run-1"},
    )
    assert tck.calls == []  # subscribing reads nothing

    async def send() -> None:
        await tck.data(RECORD, {"input": BATCH})
        tck.answer(
            "runs/get_nodes",
            [
                {"id": "n2", "kind": "decision", "run_id": "run-1", "step": 1},
                {"id": "n1", "kind": "observation", "run_id": "run-1", "step": 1},
            ],
        )
        tck.executor.recording.calls.clear()

    event = await _next_after(tck_app, events, send)
    assert event.errors is None, event.errors
    assert event.data["runElementsAdded"] == {
        "runId": "run-1",
        "edges": [{"kind": "INFLUENCED", "source": "n1", "target": "n2"}],
        "nodes": [{"nodeId": "n1"}, {"nodeId": "n2"}],
    }
    assert tck.sent() == [("runs/get_nodes", {"tenant": TENANT, "ids": ["n1", "n2"]})]
    await events.aclose()  # type: ignore[attr-defined]


@covers("Subscription.runStatusChanged")
async def test_run_status_changed_reads_the_run_named_by_the_event(
    tck: Tck, tck_app: Starlette
) -> None:
    _answers(tck)
    events = await _subscribe(tck_app, "subscription { runStatusChanged { runId status } }", {})

    async def send() -> None:
        await tck.data(RECORD, {"input": BATCH})
        tck.answer("runs/get_runs", [run("run-1", status="running")])
        tck.executor.recording.calls.clear()

    event = await _next_after(tck_app, events, send)
    assert event.data["runStatusChanged"] == {"runId": "run-1", "status": "RUNNING"}
    assert tck.sent() == [("runs/get_runs", {"tenant": TENANT, "ids": ["run-1"]})]
    await events.aclose()  # type: ignore[attr-defined]


async def test_another_tenants_batch_is_not_seen(tck: Tck, tck_app: Starlette) -> None:
    _answers(tck)
    events = await _subscribe(
        tck_app, "subscription { runStatusChanged { runId } }", {}, tenant="someone-else"
    )

    async def send() -> None:
        await tck.data(RECORD, {"input": BATCH})

    try:
        await _next_after(tck_app, events, send)
    except TimeoutError:
        pass
    else:  # pragma: no cover - the failure this test exists for
        raise AssertionError("an event of another tenant was delivered")
    await events.aclose()  # type: ignore[attr-defined]


@covers("Subscription.taskChanged")
async def test_task_changed_reads_the_task_named_by_the_event(tck: Tck, tck_app: Starlette) -> None:
    tck.answer("tracker/create_task", lambda p: [task(p["id"])])
    events = await _subscribe(
        tck_app, "subscription { taskChanged { change task { nativeId } } }", {}
    )
    created: dict[str, Any] = {}

    async def send() -> None:
        data = await tck.data(
            "mutation($i: CreateTaskInput!) { createTask(input: $i) { nativeId } }",
            {"i": {"namespace": NS, "title": "watch me"}},
        )
        created["id"] = data["createTask"]["nativeId"]
        tck.answer("tracker/get_tasks", lambda p: [task(i) for i in p["ids"]])
        tck.executor.recording.calls.clear()

    event = await _next_after(tck_app, events, send)
    assert event.data["taskChanged"] == {"change": "CREATED", "task": {"nativeId": created["id"]}}
    assert tck.sent() == [("tracker/get_tasks", {"tenant": TENANT, "ids": [created["id"]]})]
    await events.aclose()  # type: ignore[attr-defined]
