"""Governance logic without a database: semver, content hashes, diffs, aggregates, the gate,
drift bands."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from typing import Any

from provgraph.core.domain.canonical import canonical_json, content_hash
from provgraph.core.domain.errors import BadUserInput, ProvgraphError
from provgraph.governance.records import (
    AgentVersion,
    Aggregates,
    Criterion,
    EvalDrift,
    EvalResult,
    EvalRun,
    FieldChange,
    FlippedCase,
    GatePolicy,
    GateResult,
    PromptVersion,
    Severity,
    Usage,
    UsageDrift,
)

# --- typed errors --------------------------------------------------------------------------


class VersionImmutable(ProvgraphError):
    """A published version was sent again with other content."""

    code = "VERSION_IMMUTABLE"


class GateFailed(ProvgraphError):
    code = "GATE_FAILED"


class NoKnownGoodVersion(ProvgraphError):
    code = "NO_KNOWN_GOOD_VERSION"


class CaseNotInSuite(ProvgraphError):
    code = "CASE_NOT_IN_SUITE"


# --- names and versions -------------------------------------------------------------------

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,127}$")
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
MAX_TEXT = 100_000
MAX_CASES = 5_000


def validate_name(value: str, field: str) -> str:
    if not _NAME.match(value):
        raise BadUserInput(
            f"{field} must be 1-128 letters, digits, '.', '_' or '-' (got {value[:80]!r})",
            field=field,
        )
    return value


def validate_semver(value: str, field: str = "version") -> str:
    if not _SEMVER.match(value):
        raise BadUserInput(f"{field} must be a semantic version such as 1.2.0", field=field)
    return value


def semver_key(value: str) -> tuple[Any, ...]:
    """Sort key by semver precedence (build metadata ignored; a pre-release sorts first)."""
    match = _SEMVER.match(value)
    if match is None:
        return (-1, -1, -1, 0, ())
    major, minor, patch, pre = match.groups()
    if pre is None:
        pre_key: tuple[Any, ...] = (1, ())
    else:
        parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
        pre_key = (0, parts)
    return (int(major), int(minor), int(patch), *pre_key)


def agent_version_id(agent: str, version: str) -> str:
    return f"agent:{agent}@{version}"


def prompt_version_id(prompt: str, version: str) -> str:
    return f"prompt:{prompt}@{version}"


def prompt_label_id(prompt: str, label: str) -> str:
    return f"prompt-label:{prompt}:{label}"


def environment_id(name: str) -> str:
    return f"env:{name}"


def check_text(value: str | None, field: str, *, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise BadUserInput(f"{field} must not be empty", field=field)
        return value
    if len(value) > MAX_TEXT:
        raise BadUserInput(f"{field} may be at most {MAX_TEXT} characters", field=field)
    return value


def canonical_parameters(parameters: str | None) -> str:
    """Model parameters: a JSON object, stored as its canonical JSON ('{}' when none)."""
    if parameters is None or parameters.strip() == "":
        return "{}"
    try:
        value = json.loads(parameters)
    except ValueError as exc:
        raise BadUserInput(f"parameters is not JSON: {exc}", field="parameters") from None
    if not isinstance(value, dict):
        raise BadUserInput("parameters must be a JSON object", field="parameters")
    return canonical_json(value)


def agent_content(
    agent: str,
    version: str,
    model: str,
    provider: str,
    system_prompt: str | None,
    tools: Sequence[str],
    parameters: str,
) -> dict[str, Any]:
    return {
        "agent": agent,
        "version": version,
        "model": model,
        "provider": provider,
        "system_prompt": system_prompt,
        "tools": list(tools),
        "parameters": json.loads(parameters),
    }


def agent_hash(content: dict[str, Any]) -> str:
    return content_hash(content)


def content_hash_of(content: dict[str, Any]) -> str:
    return content_hash(content)


def prompt_content(
    prompt: str, version: str, template: str, variables: Sequence[str]
) -> dict[str, Any]:
    return {
        "prompt": prompt,
        "version": version,
        "template": template,
        "variables": list(variables),
    }


_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def template_variables(template: str) -> list[str]:
    """The ``{{ name }}`` placeholders of a template, in first-use order."""
    return list(dict.fromkeys(_VARIABLE.findall(template)))


# --- diffs --------------------------------------------------------------------------------

AGENT_DIFF_FIELDS = ("version", "model", "provider", "system_prompt", "tools", "parameters")


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return canonical_json(list(value))
    return str(value)


def agent_diff(a: AgentVersion, b: AgentVersion) -> list[FieldChange]:
    """The configuration fields that differ from ``a`` (before) to ``b`` (after)."""
    out = []
    for name in AGENT_DIFF_FIELDS:
        before, after = _show(getattr(a, name)), _show(getattr(b, name))
        if before != after:
            out.append(FieldChange(name, before, after))
    return out


def prompt_diff(a: PromptVersion, b: PromptVersion) -> tuple[list[FieldChange], str]:
    """Field changes and a unified text diff of the templates (``a`` before, ``b`` after)."""
    changes = [
        FieldChange(name, _show(getattr(a, name)), _show(getattr(b, name)))
        for name in ("version", "variables")
        if _show(getattr(a, name)) != _show(getattr(b, name))
    ]
    text = "".join(
        difflib.unified_diff(
            a.template.splitlines(keepends=True),
            b.template.splitlines(keepends=True),
            fromfile=a.id,
            tofile=b.id,
        )
    )
    if text and not text.endswith("\n"):
        text += "\n"
    return changes, text


# --- evaluations and the gate -------------------------------------------------------------


def aggregate(results: Sequence[EvalResult]) -> Aggregates:
    n = len(results)
    passed = sum(1 for r in results if r.passed)
    return Aggregates(
        cases=n,
        passed=passed,
        pass_rate=passed / n if n else 0.0,
        mean_score=sum(r.score for r in results) / n if n else 0.0,
        total_tokens=sum(r.tokens for r in results),
        total_cost=sum(r.cost for r in results),
        mean_latency_ms=sum(r.latency_ms for r in results) / n if n else 0.0,
        max_tokens_per_case=max((r.tokens for r in results), default=0),
        max_cost_per_case=max((r.cost for r in results), default=0.0),
    )


def check_results(results: Sequence[EvalResult], case_ids: set[str], suite_id: str) -> None:
    if not results:
        raise BadUserInput("results must not be empty", field="results")
    if len(results) > MAX_CASES:
        raise BadUserInput(f"at most {MAX_CASES} results", field="results")
    seen: set[str] = set()
    for index, r in enumerate(results):
        if r.case_id not in case_ids:
            raise CaseNotInSuite(
                f"results[{index}]: case {r.case_id!r} is not in suite {suite_id!r}",
                field="results",
                index=index,
                id=r.case_id,
            )
        if r.case_id in seen:
            raise BadUserInput(
                f"results[{index}]: case {r.case_id!r} twice", field="results", index=index
            )
        seen.add(r.case_id)
        if not 0.0 <= r.score <= 1.0:
            raise BadUserInput(
                f"results[{index}]: score must be within 0..1", field="results", index=index
            )
        if r.tokens < 0 or r.cost < 0 or r.latency_ms < 0:
            raise BadUserInput(
                f"results[{index}]: tokens, cost and latencyMs must be 0 or more",
                field="results",
                index=index,
            )


def evaluate_gate(policy: GatePolicy, run: EvalRun | None) -> GateResult:
    """Every criterion of ``policy`` against ``run``'s aggregates; no run fails ``evaluated``."""
    if run is None:
        return GateResult(False, (Criterion("evaluated", 1.0, None, False),), None)
    a = run.aggregates
    criteria = (
        Criterion(
            "pass_rate", policy.min_pass_rate, a.pass_rate, a.pass_rate >= policy.min_pass_rate
        ),
        Criterion(
            "mean_score", policy.min_mean_score, a.mean_score, a.mean_score >= policy.min_mean_score
        ),
        Criterion(
            "tokens_per_case",
            policy.max_tokens_per_case,
            a.max_tokens_per_case,
            a.max_tokens_per_case <= policy.max_tokens_per_case,
        ),
        Criterion(
            "cost_per_case",
            policy.max_cost_per_case,
            a.max_cost_per_case,
            a.max_cost_per_case <= policy.max_cost_per_case,
        ),
        Criterion(
            "total_tokens",
            policy.max_total_tokens,
            a.total_tokens,
            a.total_tokens <= policy.max_total_tokens,
        ),
        Criterion(
            "total_cost", policy.max_total_cost, a.total_cost, a.total_cost <= policy.max_total_cost
        ),
    )
    return GateResult(all(c.passed for c in criteria), criteria, run.id)


def check_policy(policy: GatePolicy) -> GatePolicy:
    for name in ("min_pass_rate", "min_mean_score"):
        if not 0.0 <= getattr(policy, name) <= 1.0:
            raise BadUserInput(f"{name} must be within 0..1", field=name)
    for name in ("max_tokens_per_case", "max_cost_per_case", "max_total_tokens", "max_total_cost"):
        if getattr(policy, name) < 0:
            raise BadUserInput(f"{name} must be 0 or more", field=name)
    return policy


# --- drift ----------------------------------------------------------------------------------

# Severity bands (also in the SDL): a drop in pass rate or mean score of at least HIGH_DROP is
# high, at least MEDIUM_DROP medium; any drop or regressed case is low. A rise in total
# tokens or cost of at least HIGH_GROWTH (relative) is high, MEDIUM_GROWTH medium.
HIGH_DROP = 0.10
MEDIUM_DROP = 0.05
HIGH_GROWTH = 0.50
MEDIUM_GROWTH = 0.20
SEVERITY_RULE = (
    f"HIGH when pass rate or mean score drops by {HIGH_DROP:g} or more, or tokens or cost grow "
    f"by {HIGH_GROWTH:.0%} or more; MEDIUM at a drop of {MEDIUM_DROP:g} or growth of "
    f"{MEDIUM_GROWTH:.0%}; LOW for any smaller drop, growth or regressed case; else NONE"
)
_ORDER = [Severity.NONE, Severity.LOW, Severity.MEDIUM, Severity.HIGH]


def _growth(current: float, baseline: float) -> float:
    if baseline == 0:
        return 0.0 if current == 0 else float("inf")
    return (current - baseline) / baseline


def band(drops: Sequence[float], growths: Sequence[float], regressed: int) -> Severity:
    level = Severity.NONE
    worst_drop = max([0.0, *(-d for d in drops)])
    worst_growth = max([0.0, *growths])
    if worst_drop >= HIGH_DROP - 1e-12 or worst_growth >= HIGH_GROWTH:
        level = Severity.HIGH
    elif worst_drop >= MEDIUM_DROP - 1e-12 or worst_growth >= MEDIUM_GROWTH:
        level = Severity.MEDIUM
    elif worst_drop > 0 or worst_growth > 0 or regressed:
        level = Severity.LOW
    return level


def eval_drift(run: EvalRun, baseline: EvalRun) -> EvalDrift:
    if run.suite_id != baseline.suite_id:
        raise BadUserInput(
            f"runs of different suites ({run.suite_id!r}, {baseline.suite_id!r}) do not compare",
            field="baseline_run_id",
        )
    a, b = run.aggregates, baseline.aggregates
    before = {r.case_id: r.passed for r in baseline.results}
    regressed: list[FlippedCase] = []
    fixed: list[FlippedCase] = []
    for r in sorted(run.results, key=lambda x: x.case_id):
        was = before.get(r.case_id)
        if was is None or was == r.passed:
            continue
        (fixed if r.passed else regressed).append(FlippedCase(r.case_id, was, r.passed))
    pass_delta, score_delta = a.pass_rate - b.pass_rate, a.mean_score - b.mean_score
    return EvalDrift(
        run_id=run.id,
        baseline_run_id=baseline.id,
        pass_rate_delta=pass_delta,
        mean_score_delta=score_delta,
        total_tokens_delta=a.total_tokens - b.total_tokens,
        total_cost_delta=a.total_cost - b.total_cost,
        mean_latency_ms_delta=a.mean_latency_ms - b.mean_latency_ms,
        regressed=tuple(regressed),
        fixed=tuple(fixed),
        severity=band(
            [pass_delta, score_delta],
            [_growth(a.total_tokens, b.total_tokens), _growth(a.total_cost, b.total_cost)],
            len(regressed),
        ),
    )


def usage_drift(current: Usage, baseline: Usage) -> UsageDrift:
    def rate(u: Usage) -> float:
        return u.failed_runs / u.runs if u.runs else 0.0

    tokens = (current.per_run(current.tokens), baseline.per_run(baseline.tokens))
    cost = (current.per_run(current.cost), baseline.per_run(baseline.cost))
    latency = (current.per_run(current.latency_ms), baseline.per_run(baseline.latency_ms))
    failure = rate(current) - rate(baseline)
    return UsageDrift(
        tokens_per_run_delta=tokens[0] - tokens[1],
        cost_per_run_delta=cost[0] - cost[1],
        latency_ms_per_run_delta=latency[0] - latency[1],
        failure_rate_delta=failure,
        severity=band(
            [-failure],
            [_growth(*tokens), _growth(*cost), _growth(*latency)],
            0,
        ),
    )
