"""recordRun's two input paths (Strawberry's and the coerced-dict fast path) give one batch."""

from __future__ import annotations

from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.api.fast import batch_from_raw
from provgraph.runs.api.inputs import ProvEdgeInput, RecordRunInput, RunInput, RunNodeInput
from provgraph.runs.rules import RunNodeKind, RunStatus
from provgraph.schema import build_schema


def test_fast_path_and_strawberry_inputs_agree() -> None:
    typed = RecordRunInput(
        run=RunInput(
            id="r",
            agent_id="a",
            status=RunStatus.FAILED,
            started_at="2026-01-01T00:00:00Z",
            metadata="{}",
        ),
        nodes=[
            RunNodeInput(
                id="n1",
                kind=RunNodeKind.TOOL_CALL,
                step=2,
                tool_name="t",
                arguments="{}",
                created_at="2026-01-01T00:00:01+00:00",
                tokens=3,
                cost=0.5,
                latency_ms=7,
                tool_status="ok",
                error="e",
            ),
            RunNodeInput(id="n2", kind=RunNodeKind.TOOL_RESULT, step=2, json="[1]"),
        ],
        edges=[ProvEdgeInput(kind=EdgeKind.PRODUCED, source="n1", target="n2")],
    )
    raw = {
        "run": {
            "id": "r",
            "agentId": "a",
            "status": "failed",
            "startedAt": "2026-01-01T00:00:00Z",
            "metadata": "{}",
        },
        "nodes": [
            {
                "id": "n1",
                "kind": "tool_call",
                "step": 2,
                "toolName": "t",
                "arguments": "{}",
                "createdAt": "2026-01-01T00:00:01+00:00",
                "tokens": 3,
                "cost": 0.5,
                "latencyMs": 7,
                "toolStatus": "ok",
                "error": "e",
            },
            {"id": "n2", "kind": "tool_result", "step": 2, "json": "[1]"},
        ],
        "edges": [{"kind": "produced", "source": "n1", "target": "n2"}],
    }
    assert batch_from_raw(raw) == typed.to_batch()
    assert batch_from_raw(raw).nodes[0].occurred_at == 1767225601000


def test_the_schema_serves_record_run_from_the_fast_path() -> None:
    schema = build_schema()
    mutation = schema._schema.mutation_type
    assert mutation is not None
    assert mutation.fields["recordRun"].resolve.__name__ == "_resolve_record_run"
