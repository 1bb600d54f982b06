"""Finding runs: what the run list, run labels, sessions and search send."""

from __future__ import annotations

from typing import Any

import pytest

from provgraph.core.api.relay import encode_cursor
from tests.tck.harness import TENANT, Tck, covers
from tests.tck.rows import page, run

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def _list_params(**changes: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "tenant": TENANT,
        "agent_id": None,
        "statuses": [],
        "started_after": None,
        "started_before": None,
        "ended_after": None,
        "ended_before": None,
        "label": None,
        "meta_kv": None,
        "tool_name": None,
        "has_error": None,
        "session_id": None,
        "after_at": None,
        "after_id": None,
        "limit": 51,
    }
    params.update(changes)
    return params


@covers("Query.runs")
async def test_runs_newest_first_by_default_with_total(tck: Tck) -> None:
    tck.answer("runs/list_runs_desc", page([run("run-2"), run("run-1")], total=7))
    data = await tck.data(
        "{ runs { totalCount edges { cursor node { runId } } pageInfo { hasNextPage } } }"
    )
    assert data["runs"]["totalCount"] == 7
    assert [e["node"]["runId"] for e in data["runs"]["edges"]] == ["run-2", "run-1"]
    assert tck.sent() == [("runs/list_runs_desc", _list_params())]


async def test_runs_every_filter_maps_to_a_parameter(tck: Tck) -> None:
    await tck.data(
        """query($after: String) { runs(first: 10, after: $after, orderBy: STARTED_AT_ASC,
             filter: {agentId: "planner", status: [FAILED, SUCCEEDED, FAILED],
                      startedAfter: "2026-01-01T00:00:00Z", startedBefore: "2026-01-02T00:00:00Z",
                      endedAfter: "2026-01-01T00:00:00Z", endedBefore: "2026-01-03T00:00:00Z",
                      label: " nightly ", metadataKey: "model", metadataValue: "m1",
                      toolName: "weather", hasError: true, sessionId: "s-1"}) { totalCount } }""",
        {"after": encode_cursor([T0, "run-9"])},
    )
    assert tck.sent() == [
        (
            "runs/list_runs_asc",
            _list_params(
                agent_id="planner",
                statuses=["failed", "succeeded"],
                started_after=T0,
                started_before=T0 + 86_400_000,
                ended_after=T0,
                ended_before=T0 + 2 * 86_400_000,
                label="nightly",
                meta_kv="model\u001fm1",
                tool_name="weather",
                has_error=True,
                session_id="s-1",
                after_at=T0,
                after_id="run-9",
                limit=11,
            ),
        )
    ]


@pytest.mark.parametrize(
    "bad",
    [
        '{startedAfter: "2026-01-02T00:00:00Z", startedBefore: "2026-01-01T00:00:00Z"}',
        '{endedAfter: "2026-01-02T00:00:00Z", endedBefore: "2026-01-02T00:00:00Z"}',
        '{startedAfter: "yesterday"}',
        '{metadataKey: "model"}',
        '{label: "   "}',
        '{toolName: "' + "x" * 600 + '"}',
    ],
)
async def test_runs_bad_filters_send_nothing(tck: Tck, bad: str) -> None:
    assert await tck.error(f"{{ runs(filter: {bad}) {{ totalCount }} }}") == "BAD_USER_INPUT"
    assert tck.calls == []


async def test_runs_unknown_status_is_refused_before_running(tck: Tck) -> None:
    code = await tck.error("{ runs(filter: {status: [EXPLODED]}) { totalCount } }")
    assert code == "GRAPHQL_VALIDATION_FAILED"
    assert tck.calls == []


@covers("Mutation.addRunLabel")
async def test_add_run_label(tck: Tck) -> None:
    tck.answer("runs/add_run_label", [run("run-1", labels=["nightly"])])
    data = await tck.data('mutation { addRunLabel(runId: "run-1", label: " nightly ") { labels } }')
    assert data == {"addRunLabel": {"labels": ["nightly"]}}
    assert tck.transactions() == [("runs/add_run_label", True, ["runs/add_run_label"])]
    assert tck.sent() == [
        ("runs/add_run_label", {"tenant": TENANT, "id": "run-1", "label": "nightly"})
    ]


@covers("Mutation.removeRunLabel")
async def test_remove_run_label_of_a_missing_run_is_not_found(tck: Tck) -> None:
    code = await tck.error('mutation { removeRunLabel(runId: "ghost", label: "x") { labels } }')
    assert code == "NOT_FOUND"
    assert tck.sent() == [
        ("runs/remove_run_label", {"tenant": TENANT, "id": "ghost", "label": "x"})
    ]
