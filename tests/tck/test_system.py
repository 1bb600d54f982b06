"""System fields, the harness itself, and what start-up and authentication send."""

from __future__ import annotations

from provgraph import __version__
from provgraph.keys import rules as keys
from tests.tck.harness import TENANT, Tck, covers
from tests.tck.rows import TASK_A, task


async def test_startup_applies_the_schema_then_registers_types(tck: Tck) -> None:
    names = [c.name for c in tck.startup]
    assert names[-1] == "setup/register_types"
    assert names[:-1] == sorted(n for n in names if n.startswith("schema/"))
    assert len(names) > 1
    # One write transaction per statement (Neo4j refuses schema and data changes mixed).
    assert all(c.write for c in tck.startup)
    assert len({c.tx for c in tck.startup}) == len(tck.startup)


@covers("Query.serverInfo")
async def test_server_info_sends_nothing(tck: Tck) -> None:
    data = await tck.data("{ serverInfo { version engine engineAgent } }")
    assert data == {
        "serverInfo": {"version": __version__, "engine": "tck-engine", "engineAgent": "TCK/1.0"}
    }
    assert tck.calls == []


@covers("Query.viewer")
async def test_viewer_sends_nothing_in_dev_mode(tck: Tck) -> None:
    data = await tck.data("{ viewer { tenant readOnly keyId } }")
    assert data == {"viewer": {"tenant": TENANT, "readOnly": False, "keyId": None}}
    assert tck.calls == []


def _token(read_only: bool) -> tuple[str, dict[str, object]]:
    key_id, token = keys.new_key()
    _, secret = keys.parse_token(token)
    row = {
        "id": key_id,
        "tenant": "keyed-tenant",
        "key_hash": keys.hash_secret(secret),
        "read_only": read_only,
        "revoked_at": None,
    }
    return token, row


async def test_readiness_pings_through_the_catalog(tck: Tck) -> None:
    tck.answer("system/ping", [{"ok": 1}])
    response = await tck.client.get("/readyz")
    assert response.json() == {"status": "ready", "engine": "tck-engine"}
    assert tck.sent() == [("system/ping", {})]
    tck.answer("system/ping", [])
    assert (await tck.client.get("/readyz")).status_code == 503


async def test_a_key_is_looked_up_by_id_and_scopes_every_query(tck: Tck) -> None:
    token, row = _token(read_only=False)
    tck.answer("keys/find_key", [row])
    tck.answer("tracker/get_tasks", [task()])
    tck.tenant = "keyed-tenant"
    body = await tck.post(
        "query($id: String!) { viewer { tenant keyId } task(id: $id) { nativeId } }",
        {"id": TASK_A},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert body["data"]["viewer"] == {"tenant": "keyed-tenant", "keyId": row["id"]}
    assert tck.sent() == [
        ("keys/find_key", {"id": row["id"]}),
        ("tracker/get_tasks", {"tenant": "keyed-tenant", "ids": [TASK_A]}),
    ]


async def test_a_read_only_key_runs_no_mutation_query(tck: Tck) -> None:
    token, row = _token(read_only=True)
    tck.answer("keys/find_key", [row])
    body = await tck.post(
        'mutation { createTask(input: {namespace: "tck", title: "t"}) { id } }',
        headers={"Authorization": f"Bearer {token}"},
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert tck.names() == ["keys/find_key"]


async def test_a_malformed_key_sends_nothing(tck: Tck) -> None:
    response = await tck.client.post(
        "/graphql",
        json={"query": "{ viewer { tenant } }"},
        headers={"Authorization": "Bearer pgk_nonsense"},
    )
    assert response.status_code == 401
    assert tck.calls == []


async def test_invalid_documents_send_nothing(tck: Tck) -> None:
    assert await tck.error("{ task(id: 1) { id } }") == "GRAPHQL_VALIDATION_FAILED"
    assert await tck.error("{ task { id } }") == "GRAPHQL_VALIDATION_FAILED"
    assert await tck.error("{ nosuchfield }") == "GRAPHQL_VALIDATION_FAILED"
    assert tck.calls == []
