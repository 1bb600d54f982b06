"""Finding runs: what the run list, run labels, sessions and search send."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

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


def _session_row(sid: str = "s-1", **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": sid,
        "runs": 2,
        "first_at": T0,
        "last_at": T0 + 1000,
        "ended_at": None,
        "agent_ids": ["planner"],
        "errors": 0,
        "failed_runs": 0,
    }
    row.update(changes)
    return row


@covers("Query.session")
async def test_session_and_its_runs_in_two_queries(tck: Tck) -> None:
    tck.answer("runs/get_sessions", [_session_row()])
    tck.answer(
        "runs/page_session_runs",
        [{"session_id": "s-1", "total": 2, "page": [run("run-1", session_id="s-1")]}],
    )
    data = await tck.data(
        '{ session(id: "s-1") { sessionId runCount agentIds '
        "runs(first: 1) { totalCount edges { node { runId } } } } }"
    )
    assert data["session"] == {
        "sessionId": "s-1",
        "runCount": 2,
        "agentIds": ["planner"],
        "runs": {"totalCount": 2, "edges": [{"node": {"runId": "run-1"}}]},
    }
    assert tck.sent() == [
        ("runs/get_sessions", {"tenant": TENANT, "ids": ["s-1"]}),
        (
            "runs/page_session_runs",
            {"tenant": TENANT, "ids": ["s-1"], "after_at": None, "after_id": None, "limit": 2},
        ),
    ]


async def test_session_missing_is_null(tck: Tck) -> None:
    assert await tck.data('{ session(id: "nope") { runCount } }') == {"session": None}


@covers("Query.sessions")
async def test_sessions_page_with_nested_runs_batched(tck: Tck) -> None:
    tck.answer("runs/list_sessions", page([_session_row("s-2"), _session_row("s-1")], total=2))
    await tck.data(
        '{ sessions(first: 5, filter: {agentId: "planner", activeAfter: "2026-01-01T00:00:00Z"})'
        " { totalCount edges { node { sessionId runs(first: 3) { totalCount } } } } }"
    )
    assert tck.sent() == [
        (
            "runs/list_sessions",
            {
                "tenant": TENANT,
                "agent_id": "planner",
                "active_after": T0,
                "active_before": None,
                "after_at": None,
                "after_id": None,
                "limit": 6,
            },
        ),
        # Both sessions' runs in one query.
        (
            "runs/page_session_runs",
            {
                "tenant": TENANT,
                "ids": ["s-2", "s-1"],
                "after_at": None,
                "after_id": None,
                "limit": 4,
            },
        ),
    ]


async def test_sessions_inverted_window_sends_nothing(tck: Tck) -> None:
    code = await tck.error(
        '{ sessions(filter: {activeAfter: "2026-01-02T00:00:00Z", '
        'activeBefore: "2026-01-01T00:00:00Z"}) { totalCount } }'
    )
    assert code == "BAD_USER_INPUT" and tck.calls == []


ALL_KINDS = [
    "decision",
    "input",
    "memory_fact",
    "observation",
    "output",
    "run",
    "tool_call",
    "tool_result",
]


@covers("Query.search")
async def test_search_tenant_wide_is_one_query(tck: Tck) -> None:
    tck.answer(
        "runs/search_nodes",
        page([{"id": "n1", "kind": "tool_call", "run_id": "run-1", "score": 3}], total=9),
    )
    data = await tck.data(
        '{ search(text: "Weather  weather PARIS", first: 5) { totalCount '
        "edges { cursor node { kind nodeId runId score } } } }"
    )
    assert data["search"] == {
        "totalCount": 9,
        "edges": [
            {
                "cursor": encode_cursor([3, "n1"]),
                "node": {"kind": "TOOL_CALL", "nodeId": "n1", "runId": "run-1", "score": 3},
            }
        ],
    }
    assert tck.sent() == [
        (
            "runs/search_nodes",
            {
                "tenant": TENANT,
                "terms": ["weather", "paris"],
                "kinds": ALL_KINDS,
                "after_score": None,
                "after_id": None,
                "limit": 6,
            },
        )
    ]


async def test_search_in_a_session_reads_its_runs_only(tck: Tck) -> None:
    tck.answer("runs/session_run_ids", [{"id": "run-1"}, {"id": "run-2"}])
    await tck.data(
        'query($after: String) { search(text: "x", sessionId: "s-1", kinds: [RUN, OUTPUT],'
        " after: $after) { totalCount } }",
        {"after": encode_cursor([2, "n7"])},
    )
    assert tck.sent() == [
        ("runs/session_run_ids", {"tenant": TENANT, "session_id": "s-1"}),
        (
            "runs/search_run_nodes",
            {
                "tenant": TENANT,
                "run_ids": ["run-1", "run-2"],
                "terms": ["x"],
                "kinds": ["output", "run"],
                "after_score": 2,
                "after_id": "n7",
                "limit": 51,
            },
        ),
    ]


@pytest.mark.parametrize("text", ["", "  ", "y" * 501, " ".join("abcdefghijk")])
async def test_search_bad_text_sends_nothing(tck: Tck, text: str) -> None:
    code = await tck.error("query($t: String!) { search(text: $t) { totalCount } }", {"t": text})
    assert code == "BAD_USER_INPUT" and tck.calls == []


@covers("Query.runsRollup")
async def test_runs_rollup_is_one_query_per_model_rows(tck: Tck) -> None:
    tck.answer(
        "runs/rollup_runs",
        [
            {
                "model_term": "model\u001fm2",
                "runs": 1,
                "nodes": 4,
                "tokens": 5,
                "cost": 0.5,
                "latency": 10,
                "errors": 1,
            },
            {
                "model_term": None,
                "runs": 2,
                "nodes": 3,
                "tokens": 1,
                "cost": 0.25,
                "latency": 5,
                "errors": 0,
            },
        ],
    )
    data = await tck.data(
        '{ runsRollup(filter: {agentId: "coder"}) { total { runs tokens cost errors } '
        "byModel { model runs } } }"
    )
    assert data["runsRollup"] == {
        "total": {"runs": 3, "tokens": 6, "cost": 0.75, "errors": 1},
        "byModel": [{"model": "m2", "runs": 1}, {"model": None, "runs": 2}],
    }
    params = _list_params(agent_id="coder", model_prefix="model\u001f")
    for key in ("after_at", "after_id", "limit"):
        del params[key]
    assert tck.sent() == [("runs/rollup_runs", params)]


def _found(node_id: str, kind: str, run_id: str | None = None) -> dict[str, Any]:
    return {"id": node_id, "kind": kind, "run_id": run_id, "content_hash": None, "hash": None}


@covers("Mutation.linkRun")
async def test_link_run_to_a_task_checks_ends_then_merges_in_one_transaction(tck: Tck) -> None:
    tck.answer("runs/find_nodes", [_found("run-1", "run"), _found("t-1", "task")])
    tck.answer("runs/link_run_part_of", [{"linked": 1}])
    data = await tck.data(
        'mutation { linkRun(kind: PART_OF, runId: "run-1", target: "t-1") { created kind } }'
    )
    assert data == {"linkRun": {"created": True, "kind": "PART_OF"}}
    assert tck.transactions() == [
        ("runs/link", True, ["runs/find_nodes", "runs/run_link_exists", "runs/link_run_part_of"])
    ]
    assert tck.sent()[-1] == (
        "runs/link_run_part_of",
        {"tenant": TENANT, "run_id": "run-1", "target": "t-1", "now": ANY},
    )


async def test_link_run_to_a_run_takes_the_lock_and_checks_cycles(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("runs/find_nodes", [_found("run-1", "run"), _found("run-0", "run")])
    tck.answer("runs/find_cycles", [{"index": 0}])
    code = await tck.error(
        'mutation { linkRun(kind: STARTED_BY, runId: "run-1", target: "run-0") { created } }'
    )
    assert code == "BAD_USER_INPUT"
    names = tck.names()
    assert "runs/find_cycles" in names and "runs/link_run_started_by" not in names


@pytest.mark.parametrize(
    ("kind", "target_kind"),
    [("PART_OF", "agent"), ("ATTRIBUTED_TO", "task"), ("INFORMED_BY", "decision")],
)
async def test_link_run_to_a_wrong_kind_writes_nothing(
    tck: Tck, kind: str, target_kind: str
) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("runs/find_nodes", [_found("run-1", "run"), _found("x", target_kind, "run-9")])
    code = await tck.error(
        f'mutation {{ linkRun(kind: {kind}, runId: "run-1", target: "x") {{ created }} }}'
    )
    assert code == "BAD_USER_INPUT"
    assert not [n for n in tck.names() if n.startswith("runs/link_run")]


@covers("Mutation.unlinkRun")
async def test_unlink_run(tck: Tck) -> None:
    tck.answer("runs/unlink_run", [{"removed": 1}])
    data = await tck.data(
        'mutation { unlinkRun(kind: INFORMED_BY, runId: "run-1", target: "run-0") { removed } }'
    )
    assert data == {"unlinkRun": {"removed": True}}
    assert tck.sent() == [
        (
            "runs/unlink_run",
            {"tenant": TENANT, "run_id": "run-1", "target": "run-0", "type": "WAS_INFORMED_BY"},
        )
    ]


async def test_ancestors_as_of_use_the_windowed_level_query(tck: Tck) -> None:
    tck.answer(
        "runs/find_nodes",
        [
            {
                "id": "n",
                "kind": "decision",
                "run_id": "run-1",
                "content_hash": None,
                "hash": None,
                "created_at": T0,
            }
        ],
    )
    await tck.data('{ ancestors(nodeId: "n", depth: 1, asOf: "2026-01-01T00:00:00Z") { depth } }')
    assert tck.names() == ["runs/expand_causes_as_of", "runs/find_nodes"]
    assert tck.calls[0].params["as_of"] == T0


async def test_as_of_before_the_origin_was_recorded_is_not_found(tck: Tck) -> None:
    tck.answer(
        "runs/find_nodes",
        [
            {
                "id": "n",
                "kind": "decision",
                "run_id": "run-1",
                "content_hash": None,
                "hash": None,
                "created_at": T0 + 1,
            }
        ],
    )
    code = await tck.error('{ ancestors(nodeId: "n", asOf: "2026-01-01T00:00:00Z") { depth } }')
    assert code == "NOT_FOUND"
