"""The governance area's records: versions, evaluations, environments, promotions, audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class VersionKind(StrEnum):
    AGENT = "agent_version"
    PROMPT = "prompt_version"


@dataclass(frozen=True)
class AgentVersion:
    id: str
    agent: str
    version: str
    model: str
    provider: str
    system_prompt: str | None
    tools: tuple[str, ...]
    parameters: str  # canonical JSON of an object
    changelog: str | None
    content_hash: str
    supersedes_id: str | None
    created_at: int


@dataclass(frozen=True)
class PromptVersion:
    id: str
    prompt: str
    version: str
    template: str
    variables: tuple[str, ...]
    changelog: str | None
    content_hash: str
    supersedes_id: str | None
    created_at: int
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class VersionRef:
    """Any version (agent or prompt), as eval runs, promotions and runs refer to it."""

    id: str
    kind: VersionKind
    name: str
    version: str


@dataclass(frozen=True)
class EvalCase:
    case_id: str
    input: str
    expected: str | None


@dataclass(frozen=True)
class EvalSuite:
    id: str
    name: str
    description: str | None
    created_at: int
    cases: tuple[EvalCase, ...]


@dataclass(frozen=True)
class EvalResult:
    case_id: str
    passed: bool
    score: float
    tokens: int
    cost: float
    latency_ms: int
    output: str | None = None


@dataclass(frozen=True)
class Aggregates:
    cases: int
    passed: int
    pass_rate: float
    mean_score: float
    total_tokens: int
    total_cost: float
    mean_latency_ms: float
    max_tokens_per_case: int
    max_cost_per_case: float


@dataclass(frozen=True)
class EvalRun:
    id: str
    suite_id: str
    version_id: str
    created_at: int
    aggregates: Aggregates
    results: tuple[EvalResult, ...]


@dataclass(frozen=True)
class GatePolicy:
    min_pass_rate: float
    min_mean_score: float
    max_tokens_per_case: int
    max_cost_per_case: float
    max_total_tokens: int
    max_total_cost: float
    suite_id: str | None = None


@dataclass(frozen=True)
class Environment:
    name: str
    policy: GatePolicy
    created_at: int


@dataclass(frozen=True)
class Criterion:
    name: str
    threshold: float
    actual: float | None
    passed: bool


@dataclass(frozen=True)
class GateResult:
    passed: bool
    criteria: tuple[Criterion, ...]
    eval_run_id: str | None

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria if not c.passed)


class PromotionAction(StrEnum):
    PROMOTE = "promote"
    ROLLBACK = "rollback"


@dataclass(frozen=True)
class Promotion:
    id: str
    environment: str
    version_id: str
    action: PromotionAction
    actor_id: str
    reason: str
    gate_passed: bool
    failed_criteria: tuple[str, ...]
    eval_run_id: str | None
    previous_version_id: str | None
    override_agent_id: str | None
    override_reason: str | None
    created_at: int


@dataclass(frozen=True)
class FlippedCase:
    case_id: str
    baseline_passed: bool
    passed: bool


class Severity(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class EvalDrift:
    run_id: str
    baseline_run_id: str
    pass_rate_delta: float
    mean_score_delta: float
    total_tokens_delta: int
    total_cost_delta: float
    mean_latency_ms_delta: float
    regressed: tuple[FlippedCase, ...]
    fixed: tuple[FlippedCase, ...]
    severity: Severity


@dataclass(frozen=True)
class Usage:
    version_id: str
    runs: int
    failed_runs: int
    error_nodes: int
    tokens: int
    cost: float
    latency_ms: int

    def per_run(self, total: float) -> float:
        return total / self.runs if self.runs else 0.0


@dataclass(frozen=True)
class UsageDrift:
    tokens_per_run_delta: float
    cost_per_run_delta: float
    latency_ms_per_run_delta: float
    failure_rate_delta: float
    severity: Severity


@dataclass(frozen=True)
class AuditEvent:
    tenant: str
    seq: int
    id: str
    at: int
    key_id: str | None
    action: str
    operation: str | None
    query: str
    correlation_id: str
    target_ids: tuple[str, ...]
    args_digest: str
    changes: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    key_id: str | None = None
    target_id: str | None = None
    correlation_id: str | None = None
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class VersionDiff:
    id: str
    other_id: str
    changes: tuple[FieldChange, ...] = field(default_factory=tuple)
    text_diff: str | None = None
