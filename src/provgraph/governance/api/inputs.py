"""Governance GraphQL inputs."""

from __future__ import annotations

import strawberry

from provgraph.config import Settings

_DEFAULTS = Settings.model_fields


def _default(name: str) -> str:
    return f"{_DEFAULTS[name].default:g} (PROVGRAPH_{name.upper()})"


@strawberry.input
class PublishAgentVersionInput:
    agent: str = strawberry.field(description="The agent's name (letters, digits, . _ -).")
    version: str = strawberry.field(description="Semantic version, greater than the latest.")
    model: str
    provider: str
    system_prompt: str | None = None
    tools: list[str] = strawberry.field(default_factory=list)
    parameters: str | None = strawberry.field(
        default=None, description="Model parameters as a JSON object (stored canonical)."
    )
    changelog: str | None = None


@strawberry.input
class PublishPromptVersionInput:
    prompt: str = strawberry.field(description="The prompt's name.")
    version: str = strawberry.field(description="Semantic version, greater than the latest.")
    template: str
    variables: list[str] | None = strawberry.field(
        default=None, description="Default: the template's {{ name }} placeholders."
    )
    changelog: str | None = None


@strawberry.input
class EvalCaseInput:
    id: str
    input: str
    expected: str | None = None


@strawberry.input
class CreateEvalSuiteInput:
    id: str
    name: str
    description: str | None = None
    cases: list[EvalCaseInput]


@strawberry.input
class EvalResultInput:
    case_id: str
    passed: bool
    score: float = strawberry.field(description="0..1")
    tokens: int = 0
    cost: float = 0.0
    latency_ms: int = 0
    output: str | None = None


@strawberry.input
class RecordEvalRunInput:
    id: str
    suite_id: str
    version_id: str = strawberry.field(description="An agent or prompt version id.")
    results: list[EvalResultInput]


@strawberry.input(description="An environment and its gate; a null criterion takes the default.")
class ConfigureEnvironmentInput:
    name: str
    min_pass_rate: float | None = strawberry.field(
        default=None, description=f"Default {_default('gate_min_pass_rate')}."
    )
    min_mean_score: float | None = strawberry.field(
        default=None, description=f"Default {_default('gate_min_mean_score')}."
    )
    max_tokens_per_case: int | None = strawberry.field(
        default=None, description=f"Default {_default('gate_max_tokens_per_case')}."
    )
    max_cost_per_case: float | None = strawberry.field(
        default=None, description=f"Default {_default('gate_max_cost_per_case')}."
    )
    max_total_tokens: int | None = strawberry.field(
        default=None, description=f"Default {_default('gate_max_total_tokens')}."
    )
    max_total_cost: float | None = strawberry.field(
        default=None, description=f"Default {_default('gate_max_total_cost')}."
    )
    suite_id: str | None = strawberry.field(
        default=None, description="Only eval runs of this suite count (default: any suite)."
    )


@strawberry.input(description="A human's override of a failed gate, with the reason.")
class GateOverrideInput:
    agent_id: str = strawberry.field(description="A human agent.")
    reason: str


@strawberry.input
class PromoteInput:
    environment: str
    version_id: str
    actor_id: str = strawberry.field(description="The agent promoting (any kind).")
    reason: str
    override: GateOverrideInput | None = None


@strawberry.input
class RollbackInput:
    environment: str
    actor_id: str
    reason: str


@strawberry.input
class AuditFilterInput:
    action: str | None = strawberry.field(default=None, description="A mutation field name.")
    key_id: str | None = None
    target_id: str | None = None
    correlation_id: str | None = None
    since: str | None = strawberry.field(default=None, description="ISO time, inclusive.")
    until: str | None = strawberry.field(default=None, description="ISO time, exclusive.")
