"""Governance GraphQL types."""

from __future__ import annotations

from enum import Enum

import strawberry

from provgraph.core.domain.timefmt import to_iso
from provgraph.governance import records as d
from provgraph.governance.rules import SEVERITY_RULE


def _iso(ms: int) -> str:
    return to_iso(ms) or ""


@strawberry.type(description="An immutable snapshot of an agent's configuration.")
class AgentVersion:
    id: str = strawberry.field(description="agent:{agent}@{version}")
    agent: str
    version: str = strawberry.field(description="Semantic version.")
    model: str
    provider: str
    system_prompt: str | None
    tools: list[str]
    parameters: str = strawberry.field(description="Model parameters, canonical JSON.")
    changelog: str | None
    content_hash: str = strawberry.field(
        description="sha256 of the RFC 8785 canonical JSON of agent, version, model, provider, "
        "systemPrompt, tools and parameters."
    )
    supersedes_id: str | None = strawberry.field(description="The version this one replaced.")
    created_at: str

    @classmethod
    def of(cls, v: d.AgentVersion) -> AgentVersion:
        return cls(
            id=v.id,
            agent=v.agent,
            version=v.version,
            model=v.model,
            provider=v.provider,
            system_prompt=v.system_prompt,
            tools=list(v.tools),
            parameters=v.parameters,
            changelog=v.changelog,
            content_hash=v.content_hash,
            supersedes_id=v.supersedes_id,
            created_at=_iso(v.created_at),
        )


@strawberry.type(description="An immutable prompt template version.")
class PromptVersion:
    id: str = strawberry.field(description="prompt:{prompt}@{version}")
    prompt: str
    version: str
    template: str
    variables: list[str]
    changelog: str | None
    content_hash: str = strawberry.field(
        description="sha256 of the canonical JSON of prompt, version, template and variables."
    )
    supersedes_id: str | None
    labels: list[str] = strawberry.field(description="Labels pointing at this version now.")
    created_at: str

    @classmethod
    def of(cls, v: d.PromptVersion) -> PromptVersion:
        return cls(
            id=v.id,
            prompt=v.prompt,
            version=v.version,
            template=v.template,
            variables=list(v.variables),
            changelog=v.changelog,
            content_hash=v.content_hash,
            supersedes_id=v.supersedes_id,
            labels=list(v.labels),
            created_at=_iso(v.created_at),
        )


@strawberry.type
class PublishAgentVersionPayload:
    created: bool = strawberry.field(description="False when the same content was published.")
    version: AgentVersion


@strawberry.type
class PublishPromptVersionPayload:
    created: bool
    version: PromptVersion


@strawberry.type
class PromptLabelPayload:
    prompt: str
    label: str
    previous_version_id: str | None
    version: PromptVersion


@strawberry.type
class FieldChange:
    field: str
    before: str | None
    after: str | None


@strawberry.type(description="What changed from `id` (before) to `otherId` (after).")
class VersionDiff:
    id: str
    other_id: str
    identical: bool
    changes: list[FieldChange]
    text_diff: str | None = strawberry.field(
        description="Unified diff of the prompt templates (prompt versions only)."
    )

    @classmethod
    def of(cls, v: d.VersionDiff) -> VersionDiff:
        return cls(
            id=v.id,
            other_id=v.other_id,
            identical=not v.changes and not v.text_diff,
            changes=[FieldChange(field=c.field, before=c.before, after=c.after) for c in v.changes],
            text_diff=v.text_diff,
        )


@strawberry.type
class EvalCase:
    id: str
    input: str
    expected: str | None


@strawberry.type
class EvalSuite:
    id: str
    name: str
    description: str | None
    created_at: str
    cases: list[EvalCase]

    @classmethod
    def of(cls, s: d.EvalSuite) -> EvalSuite:
        return cls(
            id=s.id,
            name=s.name,
            description=s.description,
            created_at=_iso(s.created_at),
            cases=[EvalCase(id=c.case_id, input=c.input, expected=c.expected) for c in s.cases],
        )


@strawberry.type
class EvalResult:
    case_id: str
    passed: bool
    score: float
    tokens: int
    cost: float
    latency_ms: int
    output: str | None


@strawberry.type(description="Aggregates of an eval run, computed by the server.")
class EvalAggregates:
    cases: int
    passed: int
    pass_rate: float
    mean_score: float
    total_tokens: int
    total_cost: float
    mean_latency_ms: float
    max_tokens_per_case: int
    max_cost_per_case: float


@strawberry.type
class EvalRun:
    id: str
    suite_id: str
    version_id: str
    created_at: str
    aggregates: EvalAggregates
    results: list[EvalResult]

    @classmethod
    def of(cls, r: d.EvalRun) -> EvalRun:
        a = r.aggregates
        return cls(
            id=r.id,
            suite_id=r.suite_id,
            version_id=r.version_id,
            created_at=_iso(r.created_at),
            aggregates=EvalAggregates(
                cases=a.cases,
                passed=a.passed,
                pass_rate=a.pass_rate,
                mean_score=a.mean_score,
                total_tokens=a.total_tokens,
                total_cost=a.total_cost,
                mean_latency_ms=a.mean_latency_ms,
                max_tokens_per_case=a.max_tokens_per_case,
                max_cost_per_case=a.max_cost_per_case,
            ),
            results=[
                EvalResult(
                    case_id=x.case_id,
                    passed=x.passed,
                    score=x.score,
                    tokens=x.tokens,
                    cost=x.cost,
                    latency_ms=x.latency_ms,
                    output=x.output,
                )
                for x in r.results
            ],
        )


@strawberry.type(description="An environment's gate: what a version's latest eval run must meet.")
class GatePolicy:
    min_pass_rate: float
    min_mean_score: float
    max_tokens_per_case: int
    max_cost_per_case: float
    max_total_tokens: int
    max_total_cost: float
    suite_id: str | None = strawberry.field(
        description="Only eval runs of this suite count (null: the newest run of any suite)."
    )

    @classmethod
    def of(cls, p: d.GatePolicy) -> GatePolicy:
        return cls(
            min_pass_rate=p.min_pass_rate,
            min_mean_score=p.min_mean_score,
            max_tokens_per_case=p.max_tokens_per_case,
            max_cost_per_case=p.max_cost_per_case,
            max_total_tokens=p.max_total_tokens,
            max_total_cost=p.max_total_cost,
            suite_id=p.suite_id,
        )


@strawberry.type
class Environment:
    name: str
    created_at: str
    policy: GatePolicy

    @classmethod
    def of(cls, e: d.Environment) -> Environment:
        return cls(name=e.name, created_at=_iso(e.created_at), policy=GatePolicy.of(e.policy))


@strawberry.type
class GateCriterion:
    name: str = strawberry.field(
        description="evaluated, pass_rate, mean_score, tokens_per_case, cost_per_case, "
        "total_tokens or total_cost"
    )
    threshold: float
    actual: float | None
    passed: bool


@strawberry.type
class GateResult:
    passed: bool
    eval_run_id: str | None
    criteria: list[GateCriterion]
    failed: list[str]

    @classmethod
    def of(cls, g: d.GateResult) -> GateResult:
        return cls(
            passed=g.passed,
            eval_run_id=g.eval_run_id,
            criteria=[
                GateCriterion(name=c.name, threshold=c.threshold, actual=c.actual, passed=c.passed)
                for c in g.criteria
            ],
            failed=list(g.failed),
        )


@strawberry.enum
class PromotionAction(Enum):
    PROMOTE = "promote"
    ROLLBACK = "rollback"


@strawberry.type(description="A deployment of a version to an environment (an activity).")
class Promotion:
    id: str
    environment: str
    version_id: str
    action: PromotionAction
    actor_id: str = strawberry.field(description="The agent who promoted or rolled back.")
    reason: str
    gate_passed: bool
    failed_criteria: list[str]
    eval_run_id: str | None
    previous_version_id: str | None
    override_agent_id: str | None = strawberry.field(
        description="The human who overrode a failed gate."
    )
    override_reason: str | None
    created_at: str

    @classmethod
    def of(cls, p: d.Promotion) -> Promotion:
        return cls(
            id=p.id,
            environment=p.environment,
            version_id=p.version_id,
            action=PromotionAction(p.action.value),
            actor_id=p.actor_id,
            reason=p.reason,
            gate_passed=p.gate_passed,
            failed_criteria=list(p.failed_criteria),
            eval_run_id=p.eval_run_id,
            previous_version_id=p.previous_version_id,
            override_agent_id=p.override_agent_id,
            override_reason=p.override_reason,
            created_at=_iso(p.created_at),
        )


@strawberry.enum(description=f"Drift severity: {SEVERITY_RULE}.")
class DriftSeverity(Enum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@strawberry.type
class FlippedCase:
    case_id: str
    baseline_passed: bool
    passed: bool


@strawberry.type(description="An eval run against a baseline run of the same suite.")
class EvalDrift:
    run_id: str
    baseline_run_id: str
    pass_rate_delta: float
    mean_score_delta: float
    total_tokens_delta: int
    total_cost_delta: float
    mean_latency_ms_delta: float
    regressed: list[FlippedCase]
    fixed: list[FlippedCase]
    severity: DriftSeverity

    @classmethod
    def of(cls, x: d.EvalDrift) -> EvalDrift:
        def flips(items: tuple[d.FlippedCase, ...]) -> list[FlippedCase]:
            return [
                FlippedCase(case_id=f.case_id, baseline_passed=f.baseline_passed, passed=f.passed)
                for f in items
            ]

        return cls(
            run_id=x.run_id,
            baseline_run_id=x.baseline_run_id,
            pass_rate_delta=x.pass_rate_delta,
            mean_score_delta=x.mean_score_delta,
            total_tokens_delta=x.total_tokens_delta,
            total_cost_delta=x.total_cost_delta,
            mean_latency_ms_delta=x.mean_latency_ms_delta,
            regressed=flips(x.regressed),
            fixed=flips(x.fixed),
            severity=DriftSeverity(x.severity.value),
        )


@strawberry.type(description="Roll-up of the runs linked to a version.")
class Usage:
    version_id: str
    runs: int
    failed_runs: int
    error_nodes: int
    tokens: int
    cost: float
    latency_ms: int = strawberry.field(description="Sum of the nodes' latencyMs.")

    @classmethod
    def of(cls, u: d.Usage) -> Usage:
        return cls(
            version_id=u.version_id,
            runs=u.runs,
            failed_runs=u.failed_runs,
            error_nodes=u.error_nodes,
            tokens=u.tokens,
            cost=u.cost,
            latency_ms=u.latency_ms,
        )


@strawberry.type(description="Per-run deltas of a version's usage against a baseline version.")
class UsageDrift:
    tokens_per_run_delta: float
    cost_per_run_delta: float
    latency_ms_per_run_delta: float
    failure_rate_delta: float
    severity: DriftSeverity


@strawberry.type
class VersionUsage:
    usage: Usage
    baseline: Usage | None
    drift: UsageDrift | None


@strawberry.type
class LinkVersionsPayload:
    node_id: str
    agent_version_ids: list[str]
    prompt_version_ids: list[str]


@strawberry.type(description="One audit event: a committed write of a mutation.")
class AuditEvent:
    seq: int = strawberry.field(description="Position in the tenant's chain (1, 2, ...).")
    id: str
    tenant: str
    at: str
    at_ms: float = strawberry.field(description="`at` as epoch milliseconds (hashed).")
    key_id: str | None = strawberry.field(description="The API key (null in dev mode).")
    action: str = strawberry.field(description="The mutation field.")
    operation: str | None
    query: str = strawberry.field(description="The write transaction's label.")
    correlation_id: str
    target_ids: list[str]
    args_digest: str = strawberry.field(description="sha256 of the mutation's arguments.")
    changes: str | None = strawberry.field(description="Before/after pairs, canonical JSON.")
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, e: d.AuditEvent) -> AuditEvent:
        return cls(
            seq=e.seq,
            id=e.id,
            tenant=e.tenant,
            at=_iso(e.at),
            at_ms=float(e.at),
            key_id=e.key_id,
            action=e.action,
            operation=e.operation,
            query=e.query,
            correlation_id=e.correlation_id,
            target_ids=list(e.target_ids),
            args_digest=e.args_digest,
            changes=e.changes,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
