"""Governance rules without an engine: semver order, content hashes, diffs, the gate, drift
bands, and the audit chain's verification."""

from __future__ import annotations

from typing import Any

import pytest

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.store import audit
from provgraph.governance import rules
from provgraph.governance.records import (
    AgentVersion,
    EvalResult,
    EvalRun,
    GatePolicy,
    Severity,
)

POLICY = GatePolicy(0.9, 0.85, 1000, 0.1, 5000, 1.0)


def run(run_id: str, results: list[EvalResult], suite: str = "s") -> EvalRun:
    return EvalRun(run_id, suite, "v", 0, rules.aggregate(results), tuple(results))


def result(case: str, passed: bool, score: float = 1.0, tokens: int = 10) -> EvalResult:
    return EvalResult(case, passed, score, tokens, 0.01, 5)


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1.9.0", "1.10.0"),
        ("1.0.0-alpha", "1.0.0"),
        ("1.0.0-alpha", "1.0.0-alpha.1"),
        ("1.0.0-alpha.2", "1.0.0-alpha.10"),
        ("1.0.0-alpha.beta", "1.0.0-beta"),
        ("0.9.9", "1.0.0"),
    ],
)
def test_semver_precedence(lower: str, higher: str) -> None:
    assert rules.semver_key(lower) < rules.semver_key(higher)


@pytest.mark.parametrize("bad", ["1", "1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0 "])
def test_malformed_versions_are_bad_input(bad: str) -> None:
    with pytest.raises(BadUserInput):
        rules.validate_semver(bad)


def test_agent_hash_is_canonical_json_of_the_configuration() -> None:
    params = rules.canonical_parameters('{"b": 1.0, "a": [true]}')
    assert params == '{"a":[true],"b":1}'
    content = rules.agent_content("bot", "1.0.0", "m", "p", None, ["t"], params)
    same = rules.agent_content("bot", "1.0.0", "m", "p", None, ["t"], '{"a":[true],"b":1}')
    assert rules.agent_hash(content) == rules.agent_hash(same)
    assert rules.agent_hash(content) != rules.agent_hash({**content, "model": "n"})


def test_agent_diff_names_changed_fields_only() -> None:
    a = AgentVersion("a", "bot", "1.0.0", "m", "p", "x", ("t",), "{}", None, "h", None, 0)
    b = AgentVersion("b", "bot", "1.1.0", "m", "p", "y", ("t", "u"), "{}", "c", "h2", "a", 1)
    assert [(c.field, c.before, c.after) for c in rules.agent_diff(a, b)] == [
        ("version", "1.0.0", "1.1.0"),
        ("system_prompt", "x", "y"),
        ("tools", '["t"]', '["t","u"]'),
    ]


def test_template_variables_in_first_use_order() -> None:
    assert rules.template_variables("{{b}} {{ a }} {{b}}") == ["b", "a"]


def test_gate_names_each_failed_criterion() -> None:
    passing = run("r", [result("a", True), result("b", True)])
    assert rules.evaluate_gate(POLICY, passing).passed
    failing = run("r", [result("a", True, 0.9, tokens=2000), result("b", False, 0.1)])
    gate = rules.evaluate_gate(POLICY, failing)
    assert gate.failed == ("pass_rate", "mean_score", "tokens_per_case")
    assert rules.evaluate_gate(POLICY, None).failed == ("evaluated",)


def test_results_must_be_cases_of_the_suite() -> None:
    with pytest.raises(rules.CaseNotInSuite):
        rules.check_results([result("zz", True)], {"a"}, "s")
    with pytest.raises(BadUserInput):
        rules.check_results([result("a", True), result("a", True)], {"a"}, "s")
    with pytest.raises(BadUserInput):
        rules.check_results([result("a", True, score=1.5)], {"a"}, "s")


def test_drift_bands_and_flips() -> None:
    base = run("b", [result(c, True) for c in "abcdefghij"])
    same = run("x", [result(c, True) for c in "abcdefghij"])
    assert rules.eval_drift(same, base).severity is Severity.NONE
    one_down = run("x", [result("a", False), *(result(c, True) for c in "bcdefghij")])
    drift = rules.eval_drift(one_down, base)
    assert [f.case_id for f in drift.regressed] == ["a"]
    assert drift.severity is Severity.HIGH  # pass rate -0.10
    slightly = run("x", [result(c, True, 0.97) for c in "abcdefghij"])
    assert rules.eval_drift(slightly, base).severity is Severity.LOW
    with pytest.raises(BadUserInput):
        rules.eval_drift(run("x", [result("a", True)], suite="other"), base)


def _chain(n: int) -> list[dict[str, Any]]:
    events, prev = [], audit.GENESIS
    for seq in range(1, n + 1):
        scope = audit.AuditScope("k", "createTask", None, "c", ["t"], "d")
        event = audit.build_event(
            scope, tenant="t", event_id=f"e{seq}", seq=seq, prev_hash=prev, at=seq, query="q"
        )
        events.append(event)
        prev = event["hash"]
    return events


def test_audit_chain_verification_names_the_first_broken_event() -> None:
    events = _chain(4)
    assert audit.verify_chain(events) is None
    events[2] = {**events[2], "action": "other"}
    broken = audit.verify_chain(events)
    assert broken is not None and (broken.seq, broken.id) == (3, "e3")
    missing = _chain(4)
    del missing[1]
    gap = audit.verify_chain(missing)
    assert gap is not None and gap.seq == 3 and gap.reason.startswith("sequence gap")


def test_target_ids_come_from_id_arguments_and_inputs() -> None:
    args = {
        "input": {"run": {"id": "run-1", "agentId": "a"}, "nodes": [{"id": "n"}]},
        "source": "s",
        "kind": "BLOCKED_BY",
        "ids": ["x"],
    }
    assert audit.target_ids(args) == ["run-1", "a", "s"]
