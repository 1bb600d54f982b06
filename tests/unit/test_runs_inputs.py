"""recordRun's input: one conversion (RecordRunInput's from_input hook), one error shape."""

from __future__ import annotations

from typing import Any, cast

import pytest

from provgraph.config import Settings
from provgraph.core.api.context import Context, Principal, ServiceRegistry
from provgraph.core.api.errors import format_error
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.api.inputs import batch_from_input
from provgraph.runs.records import RunRecord
from provgraph.runs.rules import Batch, EdgeSpec, NodeSpec, RunNodeKind, RunSpec, RunStatus
from provgraph.runs.service import RecordResult, RunService
from provgraph.schema import build_schema

RECORD = """mutation($input: RecordRunInput!) {
  recordRun(input: $input) { nodesCreated edgesCreated changed } }"""

EXPECTED = Batch(
    run=RunSpec(
        id="r",
        agent_id="a",
        status=RunStatus.FAILED,
        started_at=1767225600000,
        ended_at=None,
        metadata="{}",
    ),
    nodes=[
        NodeSpec(
            index=0,
            id="n1",
            kind=RunNodeKind.TOOL_CALL,
            step=2,
            text=None,
            json=None,
            occurred_at=1767225601000,
            tokens=3,
            cost=0.5,
            latency_ms=7,
            tool_name="t",
            arguments="{}",
            tool_status="ok",
            error="e",
        ),
        NodeSpec(index=1, id="n2", kind=RunNodeKind.TOOL_RESULT, step=2, json="[1]"),
    ],
    edges=[EdgeSpec(index=0, kind=EdgeKind.PRODUCED, source="n1", target="n2")],
)


def _variables(created_at: str = "2026-01-01T00:00:01+00:00") -> dict[str, Any]:
    """The input as a client sends it (enum names)."""
    return {
        "run": {
            "id": "r",
            "agentId": "a",
            "status": "FAILED",
            "startedAt": "2026-01-01T00:00:00Z",
            "metadata": "{}",
        },
        "nodes": [
            {
                "id": "n1",
                "kind": "TOOL_CALL",
                "step": 2,
                "toolName": "t",
                "arguments": "{}",
                "createdAt": created_at,
                "tokens": 3,
                "cost": 0.5,
                "latencyMs": 7,
                "toolStatus": "ok",
                "error": "e",
            },
            {"id": "n2", "kind": "TOOL_RESULT", "step": 2, "json": "[1]"},
        ],
        "edges": [{"kind": "PRODUCED", "source": "n1", "target": "n2"}],
    }


class _Runs:
    """Stands in for the run service: keeps the batch the resolver hands it."""

    def __init__(self) -> None:
        self.batches: list[Batch] = []

    async def record(self, tenant: str, batch: Batch) -> RecordResult:
        self.batches.append(batch)
        return RecordResult(
            run=RunRecord(id=batch.run.id),
            nodes_created=len(batch.nodes),
            nodes_unchanged=0,
            edges_created=len(batch.edges),
            edges_unchanged=0,
            run_changed=True,
        )


async def _record(variables: dict[str, Any]) -> tuple[_Runs, list[dict[str, Any]], Any]:
    runs = _Runs()
    context = Context(
        request=cast(Any, None),
        response=None,
        services=ServiceRegistry.substitute({RunService: runs}),
        settings=Settings(),
        principal=Principal("t"),
    )
    result = await build_schema().execute(
        RECORD, variable_values={"input": variables}, context_value=context
    )
    return runs, [format_error(e) for e in result.errors or ()], result.data


def test_the_coerced_value_becomes_the_batch() -> None:
    raw = _variables()
    # graphql-core hands resolvers enum *values*; the hook reads those.
    raw["run"]["status"] = "failed"
    raw["nodes"][0]["kind"], raw["nodes"][1]["kind"] = "tool_call", "tool_result"
    raw["edges"][0]["kind"] = "produced"
    assert batch_from_input(raw) == EXPECTED


async def test_the_schema_hands_the_resolver_one_converted_batch() -> None:
    runs, errors, data = await _record(_variables())
    assert not errors
    assert data == {"recordRun": {"nodesCreated": 2, "edgesCreated": 1, "changed": True}}
    assert runs.batches == [EXPECTED]


@pytest.mark.parametrize("created_at", ["yesterday", "2026-01-01T00:00:01"])
async def test_a_bad_node_time_is_located_like_every_batch_item(created_at: str) -> None:
    runs, errors, _ = await _record(_variables(created_at=created_at))
    assert not runs.batches
    assert len(errors) == 1
    assert errors[0]["message"].startswith("nodes[0].createdAt ")
    assert errors[0]["path"] == ["recordRun"]
    assert errors[0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "item": "node",
        "index": 0,
        "id": "n1",
    }


async def test_a_bad_run_time_names_its_field() -> None:
    variables = _variables()
    variables["run"]["startedAt"] = "soon"
    runs, errors, _ = await _record(variables)
    assert not runs.batches
    assert [e["extensions"] for e in errors] == [
        {"code": "BAD_USER_INPUT", "field": "run.startedAt"}
    ]
