"""/metrics in the Prometheus text format: operations and errors by name and code, latency
histograms, ingest elements, engine round trips, engine up; X-Request-Id on every response."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.engines import EngineTarget
from tests.graphql_client import gql
from tests.runs_fixtures import RECORD, sample_run
from tests.served import served


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    out = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_operations_errors_latency_ingest_and_engine(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    ok = await gql(client, "query Who { viewer { tenant } }")
    assert "errors" not in ok
    bad = await gql(client, "query Missing($id: ID!) { node(id: $id) { id } }", {"id": "nope"})
    assert bad["errors"]
    recorded = await gql(client, RECORD, {"input": sample_run("m-run")})
    created = recorded["data"]["recordRun"]
    after = await scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("provgraph_graphql_requests_total", operation="Who", type="query", code="OK") == 1
    code = bad["errors"][0]["extensions"]["code"]
    assert (
        delta("provgraph_graphql_requests_total", operation="Missing", type="query", code=code) == 1
    )
    assert delta("provgraph_graphql_errors_total", operation="Missing", code=code) == 1
    assert (
        delta("provgraph_graphql_request_duration_seconds_count", operation="Who", type="query")
        == 1
    )
    assert (
        delta("provgraph_graphql_requests_total", operation="anonymous", type="mutation", code="OK")
        == 1
    )
    assert delta("provgraph_ingest_elements_total", kind="node") == created["nodesCreated"]
    assert delta("provgraph_ingest_elements_total", kind="edge") == created["edgesCreated"]
    assert delta("provgraph_engine_round_trips_total", kind="query") > 0
    assert delta("provgraph_engine_round_trips_total", kind="transaction") > 0
    assert value(after, "provgraph_engine_up") == 1
    assert (
        delta("provgraph_http_requests_total", route="/graphql", method="POST", status="200") == 3
    )


async def test_http_refusals_are_counted_and_ids_returned(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    refused = await client.post(
        "/graphql", json={"query": "{ viewer { tenant } }"}, headers={"authorization": "Basic x"}
    )
    assert refused.status_code == 401
    after = await scrape(client)
    labels = {"route": "/graphql", "method": "POST", "status": "401"}
    assert (
        value(after, "provgraph_http_requests_total", **labels)
        - value(before, "provgraph_http_requests_total", **labels)
        == 1
    )
    assert len(refused.headers["x-request-id"]) == 32
    mine = await client.get("/healthz", headers={"x-request-id": "trace-abc-12345"})
    assert mine.headers["x-request-id"] == "trace-abc-12345"
    junk = await client.get("/healthz", headers={"x-request-id": "bad id\twith spaces"})
    assert junk.headers["x-request-id"] != "bad id\twith spaces"


async def test_unbounded_operation_names_stay_bounded(client: httpx.AsyncClient) -> None:
    await gql(client, "query " + "x" * 90 + " { viewer { tenant } }")
    samples = await scrape(client)
    assert (
        value(
            samples, "provgraph_graphql_requests_total", operation="other", type="query", code="OK"
        )
        >= 1
    )


def test_serve_logs_json_lines_with_the_request_id(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(
        tmp_path, capture_stderr=True, log_format="json", engine=engine_target.settings_engine
    ) as server:
        sent = httpx.post(
            f"{server.url}/graphql",
            json={"query": "{ viewer { tenant } }"},
            headers={"x-request-id": "req-0123456789"},
        )
        assert sent.headers["x-request-id"] == "req-0123456789"
        server.process.send_signal(signal.SIGTERM)
        _, err = server.process.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert lines, err
    access = [
        line
        for line in lines
        if line["logger"] == "provgraph.access" and line.get("correlation_id") == "req-0123456789"
    ]
    assert access and access[0]["message"].startswith("POST /graphql 200")
    assert any(line["level"] == "WARNING" and "DEV MODE" in line["message"] for line in lines)
