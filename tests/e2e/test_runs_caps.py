"""Server caps on traversals: depth clamped and flagged, results truncated and flagged."""

from __future__ import annotations

import httpx
import pytest

from provgraph.config import Settings
from tests.graphql_client import gql
from tests.runs_fixtures import record, sample_run


@pytest.fixture
def settings(base_settings: Settings, tenant: str) -> Settings:
    return base_settings.model_copy(
        update={"dev_tenant": tenant, "max_result_nodes": 3, "max_traversal_depth": 4}
    )


async def test_caps_are_applied_and_said(client: httpx.AsyncClient) -> None:
    assert "errors" not in await record(client, sample_run())
    q = """{ ancestors(nodeId: "run-1:out", depth: 6) {
        nodes { node { nodeId } distance } edges { source target }
        depth requestedDepth depthClamped truncated } }"""
    t = (await gql(client, q))["data"]["ancestors"]
    assert (t["depth"], t["requestedDepth"], t["depthClamped"]) == (4, 6, True)
    assert t["truncated"] is True
    # the nearest first: d2 (1), obs (2), res (3); call (4) is cut by the node cap
    assert [(n["node"]["nodeId"], n["distance"]) for n in t["nodes"]] == [
        ("run-1:d2", 1),
        ("run-1:obs", 2),
        ("run-1:res", 3),
    ]
    # edges only between returned nodes and the origin
    assert {(e["source"], e["target"]) for e in t["edges"]} == {
        ("run-1:d2", "run-1:out"),
        ("run-1:obs", "run-1:d2"),
        ("run-1:res", "run-1:obs"),
    }
    sub = await gql(client, '{ runSubgraph(runId: "run-1") { truncated nodes { nodeId } } }')
    assert sub["data"]["runSubgraph"]["truncated"] is True
    assert len(sub["data"]["runSubgraph"]["nodes"]) == 3
    lin = await gql(
        client,
        '{ lineage(fromId: "run-1:in", toId: "run-1:out", maxDepth: 9) '
        "{ depth requestedDepth depthClamped direction } }",
    )
    assert lin["data"]["lineage"] == {
        "depth": 4,
        "requestedDepth": 9,
        "depthClamped": True,
        "direction": None,
    }
