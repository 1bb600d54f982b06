"""Hostile request bodies, cursors, global IDs, JSON strings and dates: typed errors, never a
500 or INTERNAL_SERVER_ERROR, and nothing written."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from provgraph.core.api.relay import encode_cursor
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD, sample_run

DEEP = 100_000


async def _post_raw(client: httpx.AsyncClient, body: bytes) -> httpx.Response:
    return await client.post("/graphql", content=body, headers={"content-type": "application/json"})


def _refused_400(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text[:200]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["data"] is None
    assert error_codes(body) == ["BAD_REQUEST"]
    message: str = body["errors"][0]["message"]
    return message


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"null", "must be an object"),
        (b'"x"', "must be an object"),
        (b"42", "must be an object"),
        (b"[]", "must be an object"),
        (b'{"query": "{ serverInfo { version } }\xff"}', "not valid UTF-8"),
        (b"\xfe\xff", "not valid UTF-8"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        (
            b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * DEEP + b"]" * DEEP + b"}}",
            "nested too deeply",
        ),
        (
            b'{"query": "{ __typename }", "variables": {"a": ' + b"9" * 5000 + b"}}",
            "not valid JSON",
        ),
        (b'{"query": "{ __typename }", "variables": {"a": "x\\ud800y"}}', "lone UTF-16"),
        (b'{"query": "{ run(id: \\"x\\udfffy\\") { runId } }"}', "lone UTF-16"),
        (b'{"query": "{ __typename }", "variables": {"x\\udc00": 1}}', "lone UTF-16"),
        (b'{"query": "{ __typename ', "not valid JSON"),
    ],
)
async def test_bodies_that_are_not_a_graphql_request_are_http_400(
    client: httpx.AsyncClient, body: bytes, says: str
) -> None:
    assert says in _refused_400(await _post_raw(client, body))


async def test_paired_surrogate_escapes_are_fine(client: httpx.AsyncClient) -> None:
    body = b'{"query": "query ($t: String!) { runNode(id: $t) { nodeId } }", '
    body += b'"variables": {"t": "rocket \\ud83d\\ude80"}}'
    response = await _post_raw(client, body)
    assert response.status_code == 200
    assert response.json() == {"data": {"runNode": None}}


async def test_lone_surrogates_in_get_variables_are_http_400(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={
            "query": "query ($id: String!) { run(id: $id) { runId } }",
            "variables": '{"id": "x\\ud800y"}',
        },
    )
    assert "lone UTF-16" in _refused_400(response)


@pytest.mark.parametrize(
    "key", [[2**63, "x"], [-(2**63) - 1, "x"], [2**64], ["x", 10**30], [1, "x\ud800"]]
)
@pytest.mark.parametrize(
    "document",
    [
        "query ($c: String) { tasks(after: $c) { totalCount } }",
        "query ($c: String) { agents(after: $c) { totalCount } }",
        "query ($c: String) { activities(after: $c) { totalCount } }",
        'query ($c: String) { run(id: "r") { nodes(after: $c) { totalCount } } }',
        'query ($c: String) { run(id: "r") { steps(after: $c) { totalCount } } }',
    ],
)
async def test_cursors_out_of_range_are_bad_user_input(
    client: httpx.AsyncClient, document: str, key: list[Any]
) -> None:
    if "run(" in document:
        await gql(client, RECORD, {"input": sample_run("r")})
    cursor = base64.urlsafe_b64encode(json.dumps(key).encode()).decode()
    body = await gql(client, document, {"c": cursor})
    assert error_codes(body) == ["BAD_USER_INPUT"], body


async def test_a_cursor_at_the_int64_edge_is_still_read(client: httpx.AsyncClient) -> None:
    cursor = encode_cursor([2**63 - 1, "zzz"])
    body = await gql(
        client, "query ($c: String) { tasks(after: $c) { totalCount } }", {"c": cursor}
    )
    assert error_codes(body) == []


@pytest.mark.parametrize("type_name", ["Agent", "Query", "PageInfo", "Viewer", "ApiKey", "Nope"])
async def test_global_ids_of_types_that_are_not_nodes_are_bad_user_input(
    client: httpx.AsyncClient, type_name: str
) -> None:
    gid = base64.b64encode(f"{type_name}:x".encode()).decode()
    body = await gql(client, "query ($id: ID!) { node(id: $id) { __typename } }", {"id": gid})
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    body = await gql(client, "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [gid]})
    assert error_codes(body) == ["BAD_USER_INPUT"], body


async def _run_count(client: httpx.AsyncClient, run_id: str) -> bool:
    body = await gql(client, "query ($id: String!) { run(id: $id) { runId } }", {"id": run_id})
    return body["data"]["run"] is not None


@pytest.mark.parametrize("field", ["metadata", "json", "arguments"])
async def test_json_nested_past_the_parser_is_bad_user_input(
    client: httpx.AsyncClient, field: str
) -> None:
    deep = "[" * 5000 + "]" * 5000
    run = sample_run("deep")
    if field == "metadata":
        run["run"]["metadata"] = deep
    else:
        run["nodes"][0][field] = deep
    body = await gql(client, RECORD, {"input": run})
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert "nested too deeply" in body["errors"][0]["message"]
    assert not await _run_count(client, "deep")


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+01:00", "0001-01-01T00:30:00+01:00"],
)
@pytest.mark.parametrize("where", ["startedAt", "endedAt", "createdAt"])
async def test_dates_outside_years_1_to_9999_in_utc_are_refused(
    client: httpx.AsyncClient, moment: str, where: str
) -> None:
    run = sample_run("far")
    run["run"].pop("startedAt")
    if where == "createdAt":
        run["nodes"][0]["createdAt"] = moment
    else:
        run["run"][where] = moment
    body = await gql(client, RECORD, {"input": run})
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert "out of range" in body["errors"][0]["message"]
    assert not await _run_count(client, "far")
    prune = "mutation ($t: String!) { pruneRuns(olderThan: $t) { runs } }"
    assert error_codes(await gql(client, prune, {"t": moment})) == ["BAD_USER_INPUT"]


async def test_the_edges_of_the_date_range_are_stored_and_read_back(
    client: httpx.AsyncClient,
) -> None:
    run = sample_run("edges")
    run["run"]["startedAt"] = "0001-01-01T00:00:00Z"
    run["run"]["endedAt"] = "9999-12-31T23:59:59.999+00:00"
    assert error_codes(await gql(client, RECORD, {"input": run})) == []
    body = await gql(client, '{ run(id: "edges") { startedAt endedAt } }')
    assert body["data"]["run"] == {
        "startedAt": "0001-01-01T00:00:00.000Z",
        "endedAt": "9999-12-31T23:59:59.999Z",
    }
