"""Governance queries and mutations: thin resolvers over GovernanceService."""

from __future__ import annotations

from typing import Any

import strawberry

from provgraph.core.api.context import Info
from provgraph.core.api.permissions import CanWrite
from provgraph.core.api.relay import Connection, connection, page_request
from provgraph.core.domain.timefmt import parse_iso
from provgraph.governance import records as d
from provgraph.governance.api.inputs import (
    AuditFilterInput,
    ConfigureEnvironmentInput,
    CreateEvalSuiteInput,
    PromoteInput,
    PublishAgentVersionInput,
    PublishPromptVersionInput,
    RecordEvalRunInput,
    RollbackInput,
)
from provgraph.governance.api.types import (
    AgentVersion,
    AuditEvent,
    DriftSeverity,
    Environment,
    EvalDrift,
    EvalRun,
    EvalSuite,
    GateResult,
    LinkVersionsPayload,
    Promotion,
    PromptLabelPayload,
    PromptVersion,
    PublishAgentVersionPayload,
    PublishPromptVersionPayload,
    Usage,
    UsageDrift,
    VersionDiff,
    VersionUsage,
)
from provgraph.governance.service import (
    AgentVersionSpec,
    GovernanceService,
    Override,
    PromptVersionSpec,
    default_policy,
)


def _svc(info: Info) -> GovernanceService:
    return info.context.service(GovernanceService)


def _by_creation(v: Any) -> list[Any]:
    return [v.created_at, v.id]


def _seq(e: d.AuditEvent) -> list[Any]:
    return [e.seq]


@strawberry.type
class GovernanceQuery:
    @strawberry.field(description="An agent version by id (agent:{agent}@{version}); null if none.")
    async def agent_version(self, info: Info, id: str) -> AgentVersion | None:
        found = await _svc(info).agent_version(info.context.tenant, id)
        return AgentVersion.of(found) if found else None

    @strawberry.field(description="An agent's versions in publication order.")
    async def agent_versions(
        self, info: Info, agent: str, first: int | None = None, after: str | None = None
    ) -> Connection[AgentVersion]:
        page = page_request(info, first, after)
        rows = await _svc(info).agent_versions_page(info.context.tenant, agent, page)
        return connection(
            rows, page.size, had_cursor=after is not None, to_node=AgentVersion.of, key=_by_creation
        )

    @strawberry.field(
        description="The configuration fields that differ between two agent versions."
    )
    async def agent_version_diff(self, info: Info, id: str, other_id: str) -> VersionDiff:
        return VersionDiff.of(
            await _svc(info).agent_version_diff(info.context.tenant, id, other_id)
        )

    @strawberry.field(
        description="A prompt version by id, or the one a prompt's label points at; null if none."
    )
    async def prompt_version(
        self,
        info: Info,
        id: str | None = None,
        prompt: str | None = None,
        label: str | None = None,
    ) -> PromptVersion | None:
        found = await _svc(info).prompt_version(info.context.tenant, id, prompt, label)
        return PromptVersion.of(found) if found else None

    @strawberry.field(description="A prompt's versions in publication order.")
    async def prompt_versions(
        self, info: Info, prompt: str, first: int | None = None, after: str | None = None
    ) -> Connection[PromptVersion]:
        page = page_request(info, first, after)
        rows = await _svc(info).prompt_versions_page(info.context.tenant, prompt, page)
        return connection(
            rows,
            page.size,
            had_cursor=after is not None,
            to_node=PromptVersion.of,
            key=_by_creation,
        )

    @strawberry.field(description="Template text diff and field changes between prompt versions.")
    async def prompt_version_diff(self, info: Info, id: str, other_id: str) -> VersionDiff:
        return VersionDiff.of(
            await _svc(info).prompt_version_diff(info.context.tenant, id, other_id)
        )

    @strawberry.field(description="An eval suite with its cases; null if none.")
    async def eval_suite(self, info: Info, id: str) -> EvalSuite | None:
        found = await _svc(info).eval_suite(info.context.tenant, id)
        return EvalSuite.of(found) if found else None

    @strawberry.field(description="An eval run with its aggregates and results; null if none.")
    async def eval_run(self, info: Info, id: str) -> EvalRun | None:
        found = await _svc(info).eval_run(info.context.tenant, id)
        return EvalRun.of(found) if found else None

    @strawberry.field(description="An environment and its gate policy; null if none.")
    async def environment(self, info: Info, name: str) -> Environment | None:
        found = await _svc(info).environment(info.context.tenant, name)
        return Environment.of(found) if found else None

    @strawberry.field(
        description="An environment's deployment history, newest first (the first is current)."
    )
    async def deployments(
        self, info: Info, environment: str, first: int | None = None, after: str | None = None
    ) -> Connection[Promotion]:
        page = page_request(info, first, after)
        rows = await _svc(info).deployments_page(info.context.tenant, environment, page)
        return connection(
            rows, page.size, had_cursor=after is not None, to_node=Promotion.of, key=_by_creation
        )

    @strawberry.field(
        description="The environment's gate evaluated for a version (its newest eval run)."
    )
    async def gate_check(self, info: Info, environment: str, version_id: str) -> GateResult:
        return GateResult.of(
            await _svc(info).gate_check(info.context.tenant, environment, version_id)
        )

    @strawberry.field(description="An eval run against a baseline run of the same suite.")
    async def eval_drift(self, info: Info, run_id: str, baseline_run_id: str) -> EvalDrift:
        return EvalDrift.of(
            await _svc(info).eval_drift(info.context.tenant, run_id, baseline_run_id)
        )

    @strawberry.field(
        description="Roll-up of the runs of a version (tokens, cost, latency, errors); with "
        "baselineVersionId also the baseline's and the per-run drift."
    )
    async def version_usage(
        self, info: Info, version_id: str, baseline_version_id: str | None = None
    ) -> VersionUsage:
        usage, baseline, drift = await _svc(info).usage(
            info.context.tenant, version_id, baseline_version_id
        )
        return VersionUsage(
            usage=Usage.of(usage),
            baseline=Usage.of(baseline) if baseline else None,
            drift=UsageDrift(
                tokens_per_run_delta=drift.tokens_per_run_delta,
                cost_per_run_delta=drift.cost_per_run_delta,
                latency_ms_per_run_delta=drift.latency_ms_per_run_delta,
                failure_rate_delta=drift.failure_rate_delta,
                severity=DriftSeverity(drift.severity.value),
            )
            if drift
            else None,
        )

    @strawberry.field(
        description="The tenant's audit trail in chain order: every committed write of every "
        "mutation, hash-chained (provgraph audit verify checks it)."
    )
    async def audit_events(
        self,
        info: Info,
        filter: AuditFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEvent]:
        f = filter or AuditFilterInput()
        page = page_request(info, first, after)
        rows = await _svc(info).audit_events(
            info.context.tenant,
            d.AuditFilter(
                action=f.action,
                key_id=f.key_id,
                target_id=f.target_id,
                correlation_id=f.correlation_id,
                since=parse_iso(f.since, "since"),
                until=parse_iso(f.until, "until"),
            ),
            page,
        )
        return connection(
            rows, page.size, had_cursor=after is not None, to_node=AuditEvent.of, key=_seq
        )


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Publish an immutable agent version; it supersedes the agent's latest. "
        "Re-sending the same content is a no-op; other content is VERSION_IMMUTABLE.",
    )
    async def publish_agent_version(
        self, info: Info, input: PublishAgentVersionInput
    ) -> PublishAgentVersionPayload:
        made = await _svc(info).publish_agent_version(
            info.context.tenant,
            AgentVersionSpec(
                agent=input.agent,
                version=input.version,
                model=input.model,
                provider=input.provider,
                system_prompt=input.system_prompt,
                tools=tuple(input.tools),
                parameters=input.parameters,
                changelog=input.changelog,
            ),
        )
        return PublishAgentVersionPayload(
            created=made.created, version=AgentVersion.of(made.version)
        )

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Publish an immutable prompt version (same rules as agent versions).",
    )
    async def publish_prompt_version(
        self, info: Info, input: PublishPromptVersionInput
    ) -> PublishPromptVersionPayload:
        made = await _svc(info).publish_prompt_version(
            info.context.tenant,
            PromptVersionSpec(
                prompt=input.prompt,
                version=input.version,
                template=input.template,
                variables=tuple(input.variables) if input.variables is not None else None,
                changelog=input.changelog,
            ),
        )
        return PublishPromptVersionPayload(
            created=made.created, version=PromptVersion.of(made.version)
        )

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Point a prompt's label (production, staging, any name) at one of its "
        "versions.",
    )
    async def set_prompt_label(
        self, info: Info, prompt: str, label: str, version_id: str
    ) -> PromptLabelPayload:
        before, moved = await _svc(info).set_prompt_label(
            info.context.tenant, prompt, label, version_id
        )
        return PromptLabelPayload(
            prompt=prompt, label=label, previous_version_id=before, version=PromptVersion.of(moved)
        )

    @strawberry.mutation(extensions=[CanWrite()], description="Create an eval suite with cases.")
    async def create_eval_suite(self, info: Info, input: CreateEvalSuiteInput) -> EvalSuite:
        made = await _svc(info).create_eval_suite(
            info.context.tenant,
            input.id,
            input.name,
            input.description,
            [(c.id, c.input, c.expected) for c in input.cases],
        )
        return EvalSuite.of(made)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Record an eval run of a version: one result per case of the suite "
        "(a case not in the suite is CASE_NOT_IN_SUITE; nothing is written).",
    )
    async def record_eval_run(self, info: Info, input: RecordEvalRunInput) -> EvalRun:
        made = await _svc(info).record_eval_run(
            info.context.tenant,
            input.id,
            input.suite_id,
            input.version_id,
            [
                d.EvalResult(
                    case_id=r.case_id,
                    passed=r.passed,
                    score=r.score,
                    tokens=r.tokens,
                    cost=r.cost,
                    latency_ms=r.latency_ms,
                    output=r.output,
                )
                for r in input.results
            ],
        )
        return EvalRun.of(made)

    @strawberry.mutation(
        extensions=[CanWrite()], description="Create an environment or replace its gate policy."
    )
    async def configure_environment(
        self, info: Info, input: ConfigureEnvironmentInput
    ) -> Environment:
        base = default_policy(info.context.settings)
        policy = d.GatePolicy(
            min_pass_rate=_or(input.min_pass_rate, base.min_pass_rate),
            min_mean_score=_or(input.min_mean_score, base.min_mean_score),
            max_tokens_per_case=_or(input.max_tokens_per_case, base.max_tokens_per_case),
            max_cost_per_case=_or(input.max_cost_per_case, base.max_cost_per_case),
            max_total_tokens=_or(input.max_total_tokens, base.max_total_tokens),
            max_total_cost=_or(input.max_total_cost, base.max_total_cost),
            suite_id=input.suite_id,
        )
        made = await _svc(info).configure_environment(info.context.tenant, input.name, policy)
        return Environment.of(made)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Deploy a version to an environment. Refused with GATE_FAILED (naming each "
        "failed criterion) unless `override` names a human agent and a reason.",
    )
    async def promote(self, info: Info, input: PromoteInput) -> Promotion:
        made = await _svc(info).promote(
            info.context.tenant,
            input.environment,
            input.version_id,
            input.actor_id,
            input.reason,
            Override(input.override.agent_id, input.override.reason) if input.override else None,
        )
        return Promotion.of(made)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Redeploy the environment's last version that passed its gate (recorded as "
        "a promotion with action ROLLBACK); NO_KNOWN_GOOD_VERSION when there is none.",
    )
    async def rollback(self, info: Info, input: RollbackInput) -> Promotion:
        made = await _svc(info).rollback(
            info.context.tenant, input.environment, input.actor_id, input.reason
        )
        return Promotion.of(made)

    @strawberry.mutation(
        extensions=[CanWrite()],
        description="Record which agent version ran a run and which prompt version a run or "
        "decision used.",
    )
    async def link_versions(
        self,
        info: Info,
        node_id: str,
        agent_version_id: str | None = None,
        prompt_version_id: str | None = None,
    ) -> LinkVersionsPayload:
        node, agents, prompts = await _svc(info).link_versions(
            info.context.tenant, node_id, agent_version_id, prompt_version_id
        )
        return LinkVersionsPayload(
            node_id=node, agent_version_ids=list(agents), prompt_version_ids=list(prompts)
        )


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value
