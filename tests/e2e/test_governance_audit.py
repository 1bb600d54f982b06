"""The audit trail on the real engine: every committed mutation write appends an event in its
own transaction, hash-chained per tenant; refused mutations append nothing; the chain holds
under concurrent writers; `provgraph audit export|verify` finds the first broken event."""

from __future__ import annotations

import asyncio
import io
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.cli import build_parser
from provgraph.cli.audit_cmd import execute
from provgraph.config import Settings
from provgraph.engine.connection import Engine
from tests.app_state import key_service
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD, sample_run

URL = "http://provgraph.test/graphql"
EVENTS = """query($f: AuditFilterInput) { auditEvents(filter: $f, first: 500) {
  edges { node { seq action keyId targetIds correlationId query changes prevHash hash } } } }"""


@dataclass
class Keyed:
    client: httpx.AsyncClient
    key_id: str
    token: str


@pytest.fixture
async def keyed(settings: Settings, engine: Engine, tenant: str) -> AsyncIterator[Keyed]:
    app: Starlette = create_app(
        settings.model_copy(update={"require_api_keys": True}), engine=engine
    )
    async with app.router.lifespan_context(app):
        record, token = await key_service(app).create(tenant)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://provgraph.test",
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            yield Keyed(client, record.id, token)


async def events(client: httpx.AsyncClient, **f: Any) -> list[dict[str, Any]]:
    body = await gql(client, EVENTS, {"f": f or None})
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["auditEvents"]["edges"]]


async def cli(client: httpx.AsyncClient, token: str, *argv: str) -> tuple[int, str, str]:
    args = build_parser().parse_args(["audit", *argv, "--url", URL, "--api-key", token])
    out, err = io.StringIO(), io.StringIO()
    code = await execute(args, client, out, err)
    return code, out.getvalue(), err.getvalue()


async def test_who_recorded_which_run_batch(keyed: Keyed) -> None:
    body = await gql(
        keyed.client, RECORD, {"input": sample_run("run-42")}, headers={"X-Request-Id": "req-7"}
    )
    assert "errors" not in body, body
    [event] = await events(keyed.client, action="recordRun", targetId="run-42")
    assert event["keyId"] == keyed.key_id
    assert event["correlationId"] == "req-7"
    assert event["query"] == "runs/record"
    assert event["seq"] == 1 and event["prevHash"] == "0" * 64


async def test_refused_mutations_append_nothing_and_changes_carry_before_after(
    keyed: Keyed,
) -> None:
    c = keyed.client
    made = await gql(
        c,
        'mutation { a: publishPromptVersion(input: {prompt: "p", version: "1.0.0", template: "a"})'
        " { created }"
        ' b: publishPromptVersion(input: {prompt: "p", version: "1.1.0", template: "b"})'
        " { created } }",
    )
    assert "errors" not in made, made
    for version in ("prompt:p@1.0.0", "prompt:p@1.1.0"):
        moved = await gql(
            c,
            'mutation($v: String!) { setPromptLabel(prompt: "p", label: "production",'
            " versionId: $v) { previousVersionId } }",
            {"v": version},
        )
        assert "errors" not in moved, moved
    [_, second] = await events(c, action="setPromptLabel")
    assert json.loads(second["changes"]) == [
        {
            "after": "prompt:p@1.1.0",
            "before": "prompt:p@1.0.0",
            "target": "prompt-label:p:production",
        }
    ]
    before = await events(c)
    # Editing a published version: VERSION_IMMUTABLE, nothing written, no event.
    edit = await gql(
        c,
        'mutation { publishPromptVersion(input: {prompt: "p", version: "1.0.0", template: "x"})'
        " { created } }",
    )
    assert error_codes(edit) == ["VERSION_IMMUTABLE"]
    stale = await gql(
        c,
        'mutation { publishPromptVersion(input: {prompt: "p", version: "0.9.0", template: "x"})'
        " { created } }",
    )
    assert error_codes(stale) == ["BAD_USER_INPUT"]
    assert await events(c) == before
    data = await gql(c, '{ promptVersions(prompt: "p") { edges { node { id template } } } }')
    assert [e["node"]["template"] for e in data["data"]["promptVersions"]["edges"]] == ["a", "b"]


async def test_concurrent_writers_of_one_tenant_make_one_chain(keyed: Keyed) -> None:
    async def create(i: int) -> None:
        body = await gql(
            keyed.client,
            'mutation($t: String!) { createTask(input: {namespace: "ns", title: $t}) { id } }',
            {"t": f"task {i}"},
        )
        assert "errors" not in body, body

    await asyncio.gather(*(create(i) for i in range(8)))
    found = await events(keyed.client, action="createTask")
    assert [e["seq"] for e in found] == list(range(1, 9))
    for prev, nxt in itertools.pairwise(found):
        assert nxt["prevHash"] == prev["hash"]
    code, out, _ = await cli(keyed.client, keyed.token, "verify")
    assert (code, out.split(":")[0]) == (0, "ok")


async def test_export_and_verify_name_the_first_broken_event(
    keyed: Keyed, engine: Engine, tenant: str, tmp_path: Path
) -> None:
    for i in range(3):
        body = await gql(
            keyed.client,
            'mutation($t: String!) { createTask(input: {namespace: "ns", title: $t}) { id } }',
            {"t": f"t{i}"},
        )
        assert "errors" not in body
    path = tmp_path / "audit.ndjson"
    code, _, err = await cli(keyed.client, keyed.token, "export", "-o", str(path))
    assert code == 0, err
    lines = path.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3]
    code, out, _ = await cli(keyed.client, keyed.token, "verify", str(path))
    assert code == 0 and out.startswith("ok: 3 events")

    # A file edited after export: the edited event is named.
    edited = json.loads(lines[1])
    edited["action"] = "deleteEverything"
    path.write_text("\n".join([lines[0], json.dumps(edited), lines[2]]) + "\n")
    code, out, _ = await cli(keyed.client, keyed.token, "verify", str(path))
    assert code == 1
    assert out.startswith(f"broken at seq 2 (event {edited['id']}): hash does not match")

    # The stored chain edited in the engine behind provgraph's back: verify says where.
    await engine.driver.execute_query(
        "MATCH (e:AuditEvent {tenant: $t, seq: 3}) SET e.key_id = 'someone-else'",
        t=tenant,
        database_=engine.database,
    )
    code, out, _ = await cli(keyed.client, keyed.token, "verify")
    assert code == 1 and out.startswith("broken at seq 3")


async def test_task_updates_and_closes_carry_before_and_after(keyed: Keyed) -> None:
    c = keyed.client
    made = await gql(
        c,
        'mutation { createTask(input: {namespace: "audit", title: "old", priority: 3}) '
        "{ nativeId } }",
    )
    task_id = made["data"]["createTask"]["nativeId"]
    changed = await gql(
        c,
        'mutation($id: String!) { updateTask(id: $id, input: {title: "new", priority: 1}) '
        "{ title } }",
        {"id": task_id},
    )
    assert "errors" not in changed, changed
    closed = await gql(
        c,
        'mutation($id: String!) { closeTask(id: $id, reason: "done") { status } }',
        {"id": task_id},
    )
    assert "errors" not in closed, closed
    [update] = await events(c, action="updateTask")
    assert json.loads(update["changes"]) == [
        {
            "target": task_id,
            "before": {"title": "old", "priority": 3},
            "after": {"title": "new", "priority": 1},
        }
    ]
    [close] = await events(c, action="closeTask")
    [change] = json.loads(close["changes"])
    assert change["before"] == {"closed": False}
    assert change["after"]["closed"] is True and change["after"]["close_reason"] == "done"


async def test_two_processes_appending_to_one_chain_make_no_fork(
    keyed: Keyed, settings: Settings, engine: Engine
) -> None:
    """Each process appends on the head it last wrote (one statement that checks the head
    after locking it); when the other process moved the head, it reads the head and builds
    again: one chain, no fork, alternating or concurrent."""
    other: Starlette = create_app(
        settings.model_copy(update={"require_api_keys": True}), engine=engine
    )
    async with (
        other.router.lifespan_context(other),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=other),
            base_url="http://provgraph.test",
            headers={"Authorization": f"Bearer {keyed.token}"},
        ) as second,
    ):

        async def create(client: httpx.AsyncClient, i: int) -> None:
            body = await gql(
                client,
                'mutation($t: String!) { createTask(input: {namespace: "ns", title: $t}) { id } }',
                {"t": f"task {i}"},
            )
            assert "errors" not in body, body

        for i in range(6):  # alternating: every append after the first two misses its tip
            await create(keyed.client if i % 2 else second, i)
        await asyncio.gather(*(create(keyed.client if i % 2 else second, i) for i in range(6, 14)))
    found = await events(keyed.client, action="createTask")
    assert [e["seq"] for e in found] == list(range(1, 15))
    for prev, nxt in itertools.pairwise(found):
        assert nxt["prevHash"] == prev["hash"]
    code, out, _ = await cli(keyed.client, keyed.token, "verify")
    assert (code, out.split(":")[0]) == (0, "ok")
