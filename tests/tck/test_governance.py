"""Governance: what each root field sends (engine-free), and the audit trail's appends."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

from tests.tck.harness import TENANT, StartsWith, Tck, covers

AV = "agent:support@1.0.0"
AV2 = "agent:support@1.1.0"
PV = "prompt:answer@1.0.0"


def agent_row(vid: str = AV, version: str = "1.0.0") -> dict[str, Any]:
    return {
        "id": vid,
        "agent": "support",
        "version": version,
        "model": "m",
        "provider": "p",
        "system_prompt": None,
        "tools": [],
        "parameters": "{}",
        "changelog": None,
        "content_hash": "h",
        "supersedes_id": None,
        "created_at": 1,
    }


def prompt_row(vid: str = PV, template: str = "Hi {{ x }}") -> dict[str, Any]:
    return {
        "id": vid,
        "prompt": "answer",
        "version": vid.rsplit("@", 1)[1],
        "template": template,
        "variables": ["x"],
        "changelog": None,
        "content_hash": "h",
        "supersedes_id": None,
        "created_at": 1,
        "labels": [],
    }


def env_row() -> dict[str, Any]:
    return {
        "name": "prod",
        "created_at": 1,
        "min_pass_rate": 0.9,
        "min_mean_score": 0.85,
        "max_tokens_per_case": 20000,
        "max_cost_per_case": 0.5,
        "max_total_tokens": 2000000,
        "max_total_cost": 50.0,
        "suite_id": None,
    }


def eval_run_row(rid: str, pass_rate: float = 1.0) -> dict[str, Any]:
    return {
        "id": rid,
        "suite_id": "s",
        "version_id": AV,
        "created_at": 1,
        "cases": 1,
        "passed": 1,
        "pass_rate": pass_rate,
        "mean_score": pass_rate,
        "total_tokens": 1,
        "total_cost": 0.0,
        "mean_latency_ms": 1.0,
        "max_tokens_per_case": 1,
        "max_cost_per_case": 0.0,
    }


def promotion_row(action: str = "promote") -> dict[str, Any]:
    return {
        "id": "promotion--x",
        "environment": "prod",
        "version_id": AV,
        "action": action,
        "actor_id": "ada",
        "reason": "r",
        "gate_passed": True,
        "failed_criteria": [],
        "eval_run_id": None,
        "previous_version_id": None,
        "override_agent_id": None,
        "override_reason": None,
        "created_at": 1,
    }


@covers("Query.agentVersion")
async def test_agent_version(tck: Tck) -> None:
    tck.answer("governance/get_agent_versions", [agent_row()])
    data = await tck.data("query($id: String!) { agentVersion(id: $id) { version } }", {"id": AV})
    assert data == {"agentVersion": {"version": "1.0.0"}}
    assert tck.sent() == [("governance/get_agent_versions", {"tenant": TENANT, "ids": [AV]})]


@covers("Query.agentVersions")
async def test_agent_versions(tck: Tck) -> None:
    await tck.data('{ agentVersions(agent: "support", first: 5) { edges { node { id } } } }')
    assert tck.sent() == [
        (
            "governance/list_agent_versions",
            {
                "tenant": TENANT,
                "agent": "support",
                "after_created": None,
                "after_id": None,
                "limit": 6,
            },
        )
    ]


@covers("Query.agentVersionDiff")
async def test_agent_version_diff(tck: Tck) -> None:
    tck.answer("governance/get_agent_versions", [agent_row(), agent_row(AV2, "1.1.0")])
    data = await tck.data(
        "query($a: String!, $b: String!) { agentVersionDiff(id: $a, otherId: $b) "
        "{ changes { field before after } } }",
        {"a": AV, "b": AV2},
    )
    assert data["agentVersionDiff"]["changes"] == [
        {"field": "version", "before": "1.0.0", "after": "1.1.0"}
    ]
    assert tck.names() == ["governance/get_agent_versions"]


@covers("Query.promptVersion")
async def test_prompt_version_by_label(tck: Tck) -> None:
    tck.answer("governance/get_prompt_label", [{"version_id": PV}])
    tck.answer("governance/get_prompt_versions", [prompt_row()])
    data = await tck.data('{ promptVersion(prompt: "answer", label: "production") { id } }')
    assert data == {"promptVersion": {"id": PV}}
    assert tck.sent() == [
        ("governance/get_prompt_label", {"tenant": TENANT, "id": "prompt-label:answer:production"}),
        ("governance/get_prompt_versions", {"tenant": TENANT, "ids": [PV]}),
    ]


@covers("Query.promptVersions")
async def test_prompt_versions(tck: Tck) -> None:
    await tck.data('{ promptVersions(prompt: "answer") { edges { node { id } } } }')
    assert tck.names() == ["governance/list_prompt_versions"]
    assert tck.calls[0].params["prompt"] == "answer"


@covers("Query.promptVersionDiff")
async def test_prompt_version_diff(tck: Tck) -> None:
    other = "prompt:answer@1.1.0"
    tck.answer("governance/get_prompt_versions", [prompt_row(), prompt_row(other, "Hello {{ x }}")])
    data = await tck.data(
        "query($a: String!, $b: String!) { promptVersionDiff(id: $a, otherId: $b) { textDiff } }",
        {"a": PV, "b": other},
    )
    assert "-Hi {{ x }}" in data["promptVersionDiff"]["textDiff"]
    assert "+Hello {{ x }}" in data["promptVersionDiff"]["textDiff"]


@covers("Query.evalSuite")
async def test_eval_suite(tck: Tck) -> None:
    data = await tck.data('{ evalSuite(id: "s") { id } }')
    assert data == {"evalSuite": None}
    assert tck.sent() == [("governance/get_eval_suites", {"tenant": TENANT, "ids": ["s"]})]


@covers("Query.evalRun")
async def test_eval_run(tck: Tck) -> None:
    tck.answer("governance/get_eval_runs", [eval_run_row("e1")])
    data = await tck.data('{ evalRun(id: "e1") { aggregates { passRate } } }')
    assert data == {"evalRun": {"aggregates": {"passRate": 1.0}}}
    assert tck.names() == ["governance/get_eval_runs", "governance/get_eval_results"]


@covers("Query.environment")
async def test_environment(tck: Tck) -> None:
    tck.answer("governance/get_environment", [env_row()])
    data = await tck.data('{ environment(name: "prod") { policy { minPassRate } } }')
    assert data == {"environment": {"policy": {"minPassRate": 0.9}}}
    assert tck.sent() == [("governance/get_environment", {"tenant": TENANT, "id": "env:prod"})]


@covers("Query.deployments")
async def test_deployments(tck: Tck) -> None:
    tck.answer("governance/get_environment", [env_row()])
    await tck.data('{ deployments(environment: "prod") { edges { node { id } } } }')
    assert tck.names() == ["governance/get_environment", "governance/list_promotions"]


@covers("Query.gateCheck")
async def test_gate_check_without_eval_run_fails_evaluated(tck: Tck) -> None:
    tck.answer("governance/get_environment", [env_row()])
    tck.answer(
        "governance/get_versions",
        [{"id": AV, "kind": "agent_version", "name": "support", "version": "1.0.0"}],
    )
    data = await tck.data(
        '{ gateCheck(environment: "prod", versionId: "agent:support@1.0.0") { passed failed } }'
    )
    assert data == {"gateCheck": {"passed": False, "failed": ["evaluated"]}}
    assert tck.names() == [
        "governance/get_environment",
        "governance/get_versions",
        "governance/latest_eval_run",
    ]


@covers("Query.evalDrift")
async def test_eval_drift(tck: Tck) -> None:
    tck.answer("governance/get_eval_runs", [eval_run_row("e2", 0.5), eval_run_row("e1")])
    data = await tck.data(
        '{ evalDrift(runId: "e2", baselineRunId: "e1") { passRateDelta severity } }'
    )
    assert data == {"evalDrift": {"passRateDelta": -0.5, "severity": "HIGH"}}


@covers("Query.versionUsage")
async def test_version_usage(tck: Tck) -> None:
    row = {
        "id": AV,
        "runs": 2,
        "failed_runs": 1,
        "error_nodes": 0,
        "tokens": 10,
        "cost": 1.0,
        "latency_ms": 4,
    }
    tck.answer("governance/version_usage", [row])
    data = await tck.data(f'{{ versionUsage(versionId: "{AV}") {{ usage {{ runs tokens }} }} }}')
    assert data == {"versionUsage": {"usage": {"runs": 2, "tokens": 10}}}
    assert tck.sent() == [("governance/version_usage", {"tenant": TENANT, "ids": [AV]})]


@covers("Query.auditEvents")
async def test_audit_events(tck: Tck) -> None:
    await tck.data(
        '{ auditEvents(filter: {action: "recordRun", targetId: "run-1"})'
        " { edges { node { seq } } } }"
    )
    assert tck.sent() == [
        (
            "governance/list_audit_events",
            {
                "tenant": TENANT,
                "action": "recordRun",
                "key_id": None,
                "target_id": "run-1",
                "correlation_id": None,
                "since": None,
                "until": None,
                "after_seq": 0,
                "limit": 51,
            },
        )
    ]


# --- mutations ----------------------------------------------------------------------------

PUBLISH = (
    'mutation { publishAgentVersion(input: {agent: "support", version: "1.1.0", model: "m",'
    ' provider: "p"}) { created version { id supersedesId } } }'
)


@covers("Mutation.publishAgentVersion")
async def test_publish_agent_version_in_one_locked_transaction_with_its_audit_event(
    tck: Tck,
) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("governance/agent_version_numbers", [{"id": AV, "version": "1.0.0"}])
    tck.answer(
        "governance/create_agent_version", [{**agent_row(AV2, "1.1.0"), "supersedes_id": AV}]
    )
    data = await tck.data(PUBLISH)
    assert data["publishAgentVersion"] == {
        "created": True,
        "version": {"id": AV2, "supersedesId": AV},
    }
    assert tck.transactions() == [
        (
            "governance/publish_agent_version",
            True,
            [
                "core/take_tenant_lock",
                "governance/get_agent_versions",
                "governance/agent_version_numbers",
                "governance/create_agent_version",
            ],
        )
    ]
    create = tck.calls[-1].params
    assert create["supersedes_id"] == AV and create["tools"] == [] and create["parameters"] == "{}"
    audit = tck.audit_calls
    # The audit trail: the head taken (made first, here, in the same transaction), then the
    # event appended, all in the transaction of the write.
    assert [c.name for c in audit] == [
        "core/take_audit_head",
        "core/ensure_audit_head",
        "core/take_audit_head",
        "core/append_audit_event",
    ]
    assert {c.tx for c in audit} == {tck.calls[-1].tx}
    event = audit[-1].params
    assert event["action"] == "publishAgentVersion"
    assert event["seq"] == 1 and event["prev_hash"] == "0" * 64
    assert event["target_ids"] == [] and event["key_id"] is None
    assert event["changes"] == StartsWith('[{"after":{"content_hash":')


async def test_publishing_lower_version_is_refused_before_writing(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer(
        "governance/agent_version_numbers", [{"id": "agent:support@2.0.0", "version": "2.0.0"}]
    )
    assert await tck.error(PUBLISH) == "BAD_USER_INPUT"
    assert "governance/create_agent_version" not in tck.names()
    assert "core/append_audit_event" not in [c.name for c in tck.audit_calls]


async def test_changing_a_published_version_is_version_immutable(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("governance/get_agent_versions", [agent_row(AV2, "1.1.0")])
    assert await tck.error(PUBLISH) == "VERSION_IMMUTABLE"
    assert "governance/create_agent_version" not in tck.names()


@covers("Mutation.publishPromptVersion")
async def test_publish_prompt_version(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("governance/create_prompt_version", [prompt_row()])
    await tck.data(
        'mutation { publishPromptVersion(input: {prompt: "answer", version: "1.0.0",'
        ' template: "Hi {{ x }}"}) { created } }'
    )
    create = next(c for c in tck.calls if c.name == "governance/create_prompt_version")
    assert create.params["variables"] == ["x"] and create.params["supersedes_id"] is None


@covers("Mutation.setPromptLabel")
async def test_set_prompt_label(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("governance/get_prompt_versions", [prompt_row()])
    await tck.data(
        f'mutation {{ setPromptLabel(prompt: "answer", label: "production", versionId: "{PV}")'
        " { previousVersionId } }"
    )
    assert tck.names() == [
        "core/take_tenant_lock",
        "governance/get_prompt_versions",
        "governance/get_prompt_label",
        "governance/set_prompt_label",
        "governance/get_prompt_versions",
    ]
    assert tck.calls[3].params == {
        "tenant": TENANT,
        "id": "prompt-label:answer:production",
        "prompt": "answer",
        "label": "production",
        "version_id": PV,
        "now": ANY,
    }


@covers("Mutation.createEvalSuite")
async def test_create_eval_suite(tck: Tck) -> None:
    await tck.error(
        'mutation { createEvalSuite(input: {id: "s", name: "n", cases: [{id: "c1", input: "q"}]})'
        " { id } }"
    )
    create = next(c for c in tck.calls if c.name == "governance/create_eval_suite")
    assert create.params["cases"] == [
        {"node_id": "s#c1", "case_id": "c1", "input": "q", "expected": None}
    ]


@covers("Mutation.recordEvalRun")
async def test_record_eval_run_refuses_a_case_not_in_the_suite(tck: Tck) -> None:
    tck.answer(
        "governance/get_eval_suites",
        [
            {
                "id": "s",
                "name": "n",
                "description": None,
                "created_at": 1,
                "case_ids": ["c1"],
                "inputs": ["q"],
                "expected": [""],
            }
        ],
    )
    tck.answer(
        "governance/get_versions",
        [{"id": AV, "kind": "agent_version", "name": "support", "version": "1.0.0"}],
    )
    body = await tck.post(
        f'mutation {{ recordEvalRun(input: {{id: "e1", suiteId: "s", versionId: "{AV}",'
        ' results: [{caseId: "c9", passed: true, score: 1}]}) { id } }'
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "CASE_NOT_IN_SUITE"
    assert error["extensions"]["id"] == "c9"
    assert tck.names() == ["governance/get_eval_suites", "governance/get_versions"]


@covers("Mutation.configureEnvironment")
async def test_configure_environment_takes_the_default_gate(tck: Tck) -> None:
    tck.answer("governance/upsert_environment", [env_row()])
    await tck.data(
        'mutation { configureEnvironment(input: {name: "prod", minPassRate: 0.95}) { name } }'
    )
    upsert = tck.calls[-1]
    assert upsert.name == "governance/upsert_environment"
    assert upsert.params["min_pass_rate"] == 0.95
    assert upsert.params["min_mean_score"] == 0.85
    assert upsert.params["max_total_cost"] == 50.0


@covers("Mutation.promote")
async def test_promote_refused_by_the_gate_writes_nothing(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("governance/get_environment", [env_row()])
    tck.answer(
        "governance/get_versions",
        [{"id": AV, "kind": "agent_version", "name": "support", "version": "1.0.0"}],
    )
    tck.answer("governance/get_agent_kind", [{"id": "ada", "agent_kind": "human"}])
    tck.answer("governance/latest_eval_run", [{"id": "e1"}])
    tck.answer("governance/get_eval_runs", [eval_run_row("e1", 0.5)])
    body = await tck.post(
        f'mutation {{ promote(input: {{environment: "prod", versionId: "{AV}", actorId: "ada",'
        ' reason: "go"}) { id } }'
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "GATE_FAILED"
    assert error["extensions"]["failed"] == ["pass_rate", "mean_score"]
    assert "governance/create_promotion" not in tck.names()


@covers("Mutation.rollback")
async def test_rollback_with_no_known_good_version(tck: Tck) -> None:
    tck.answer("core/take_tenant_lock", [{"seq": 1}])
    tck.answer("governance/get_environment", [env_row()])
    tck.answer("governance/get_agent_kind", [{"id": "ada", "agent_kind": "human"}])
    tck.answer("governance/list_promotions", [promotion_row()])
    code = await tck.error(
        'mutation { rollback(input: {environment: "prod", actorId: "ada", reason: "r"}) { id } }'
    )
    assert code == "NO_KNOWN_GOOD_VERSION"
    assert tck.names()[-1] == "governance/last_known_good"


@covers("Mutation.linkVersions")
async def test_link_versions(tck: Tck) -> None:
    tck.answer(
        "governance/get_run_links",
        [{"id": "run-1", "kind": "run", "agent_version_ids": [], "prompt_version_ids": []}],
    )
    tck.answer("governance/get_agent_versions", [agent_row()])
    await tck.data(
        f'mutation {{ linkVersions(nodeId: "run-1", agentVersionId: "{AV}") {{ nodeId }} }}'
    )
    assert tck.names() == [
        "governance/get_run_links",
        "governance/get_agent_versions",
        "governance/link_run_agent_version",
        "governance/get_run_links",
    ]
