"""The GenAI span mapping without an engine: runs, sub-runs, node kinds, edges, steps."""

from __future__ import annotations

from provgraph.core.domain.errors import BadUserInput
from provgraph.ingest.rules import Stored, plan_trace, span_problem
from provgraph.ingest.spans import decode_json, decode_protobuf, spans_of
from provgraph.runs.rules import validate_batch
from tests.otlp_fixtures import (
    AGENT,
    CHAT1,
    GENAI_TRACE,
    SUB,
    SUBCHAT,
    TOOL,
    TRACE,
    S,
    json_request,
    request,
)

RUN = f"otel-{TRACE}"


def spans(*fixture: S) -> list:  # type: ignore[type-arg]
    got, rejected = spans_of(request(*fixture))
    assert not rejected
    return got


def test_protobuf_and_json_decode_to_the_same_spans() -> None:
    pb, _ = spans_of(decode_protobuf(request(*GENAI_TRACE).SerializeToString()))
    js, _ = spans_of(decode_json(json_request(*GENAI_TRACE)))
    assert pb == [s for s in js]


def test_a_trace_plans_a_run_and_a_sub_run_that_validate() -> None:
    plan = plan_trace(TRACE, spans(*GENAI_TRACE), Stored())
    assert plan.runs == [RUN, f"{RUN}-{SUB}-run"]
    for batch in plan.batches:
        validate_batch(batch)
    main = plan.batches[0]
    kinds = {n.id.removeprefix(f"{RUN}-"): n.kind.value for n in main.nodes}
    assert kinds[AGENT] == "input" and kinds[CHAT1] == "decision"
    assert kinds[TOOL] == "tool_call" and kinds[f"{TOOL}-result"] == "tool_result"
    sub = plan.batches[1]
    assert {n.id for n in sub.nodes} == {f"{RUN}-{SUB}", f"{RUN}-{SUBCHAT}"}
    # The edge from the parent run's agent node into the sub-run goes after both are written.
    late = [e for b in plan.batches[2:] for e in b.edges]
    assert [(e.kind.value, e.source, e.target) for e in late] == [
        ("triggered", f"{RUN}-{AGENT}", f"{RUN}-{SUB}")
    ]


def test_stored_spans_are_skipped_and_steps_continue() -> None:
    stored = Stored(nodes={f"{RUN}-{AGENT}": RUN}, run_sizes={RUN: 7})
    plan = plan_trace(TRACE, spans(*GENAI_TRACE[:3]), stored)
    assert [n.step for n in plan.batches[0].nodes] == [7, 8, 8]
    assert f"{RUN}-{AGENT}" not in {n.id for n in plan.batches[0].nodes}


def test_a_bad_conversation_id_rejects_its_span() -> None:
    [span] = spans(S(AGENT, "x", attrs={"gen_ai.conversation.id": "has space"}))
    problem = span_problem(span)
    assert problem is not None and "gen_ai.conversation.id" in problem
    try:
        raise BadUserInput(problem)
    except BadUserInput as exc:
        assert exc.code == "BAD_USER_INPUT"
