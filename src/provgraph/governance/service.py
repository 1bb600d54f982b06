"""Governance use cases: publish versions, label prompts, evaluate, gate, promote, roll back,
link runs to versions, roll up usage, compare for drift, read the audit trail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Generic, Protocol, TypeVar

from provgraph.config import Settings
from provgraph.core.domain.canonical import canonical_json
from provgraph.core.domain.errors import BadUserInput, Conflict, NotFound
from provgraph.core.domain.ids import uuid7, validate_id
from provgraph.core.domain.paging import PageRequest
from provgraph.core.domain.timefmt import now_ms
from provgraph.core.store import tenant_lock
from provgraph.core.store.audit import note_change
from provgraph.core.store.executor import Tx
from provgraph.governance import rules
from provgraph.governance.records import (
    AgentVersion,
    AuditEvent,
    AuditFilter,
    Criterion,
    Environment,
    EvalDrift,
    EvalResult,
    EvalRun,
    EvalSuite,
    GatePolicy,
    GateResult,
    Promotion,
    PromotionAction,
    PromptVersion,
    Usage,
    UsageDrift,
    VersionDiff,
)
from provgraph.governance.repository import GovernanceRepository

T = TypeVar("T")
V = TypeVar("V")
_Work = Callable[[Tx], Awaitable[T]]


@dataclass(frozen=True)
class AgentVersionSpec:
    agent: str
    version: str
    model: str
    provider: str
    system_prompt: str | None = None
    tools: tuple[str, ...] = ()
    parameters: str | None = None
    changelog: str | None = None


@dataclass(frozen=True)
class PromptVersionSpec:
    prompt: str
    version: str
    template: str
    variables: tuple[str, ...] | None = None
    changelog: str | None = None


@dataclass(frozen=True)
class Published(Generic[V]):
    created: bool
    version: V


class _Versioned(Protocol):
    @property
    def content_hash(self) -> str: ...
    @property
    def supersedes_id(self) -> str | None: ...


Version = TypeVar("Version", bound=_Versioned)


@dataclass(frozen=True)
class _Publishing(Generic[Version]):
    """What publishing one agent or prompt version needs (see GovernanceService._publish)."""

    id: str
    version: str
    digest: str
    find: Callable[[Tx], Awaitable[Mapping[str, Version]]]
    numbers: Callable[[Tx], Awaitable[list[tuple[str, str]]]]
    create: Callable[[Tx, str | None], Awaitable[Version]]
    # The fields that differ, named in VERSION_IMMUTABLE (agent versions).
    changed: Callable[[Version], list[str]] | None = None


@dataclass(frozen=True)
class Override:
    agent_id: str
    reason: str


def default_policy(settings: Settings) -> GatePolicy:
    return GatePolicy(
        min_pass_rate=settings.gate_min_pass_rate,
        min_mean_score=settings.gate_min_mean_score,
        max_tokens_per_case=settings.gate_max_tokens_per_case,
        max_cost_per_case=settings.gate_max_cost_per_case,
        max_total_tokens=settings.gate_max_total_tokens,
        max_total_cost=settings.gate_max_total_cost,
    )


def _reason(value: str, field: str) -> str:
    if not value.strip():
        raise BadUserInput(f"{field} must not be empty", field=field)
    rules.check_text(value, field)
    return value


class GovernanceService:
    def __init__(self, repo: GovernanceRepository, settings: Settings) -> None:
        self._repo = repo
        self._settings = settings

    async def _write(self, label: str, tenant: str, work: _Work[T]) -> T:
        """One write transaction holding the tenant's lock, so that version chains, labels
        and deployments of one tenant change one at a time (no forked supersedes chains)."""

        async def locked(tx: Tx) -> T:
            await tenant_lock.take_or_make(tx, now_ms())
            return await work(tx)

        try:
            return await self._repo.write_tx(label, locked, tenant=tenant)
        except Conflict as exc:
            if exc.extensions.get("query") is None:
                raise  # a refusal of the work itself, not a lost race for the lock node
            return await self._repo.write_tx(label, locked, tenant=tenant)

    async def _publish(
        self, label: str, tenant: str, p: _Publishing[Version]
    ) -> Published[Version]:
        """The one publish flow of agent and prompt versions: the same content again changes
        nothing; other content under a published version is VERSION_IMMUTABLE; a new version
        must be greater than the latest, which it supersedes (noted for the audit trail)."""

        async def work(tx: Tx) -> Published[Version]:
            existing = (await p.find(tx)).get(p.id)
            if existing is not None:
                if existing.content_hash == p.digest:
                    return Published(False, existing)
                changed = {"changed": p.changed(existing)} if p.changed else {}
                raise rules.VersionImmutable(
                    f"{p.id} is published and cannot change: publish a new version",
                    field="version",
                    id=p.id,
                    **changed,
                )
            numbers = await p.numbers(tx)
            latest = max(numbers, key=lambda n: rules.semver_key(n[1]), default=None)
            if latest is not None and rules.semver_key(p.version) <= rules.semver_key(latest[1]):
                raise BadUserInput(
                    f"version must be greater than the latest published {latest[1]}",
                    field="version",
                    latest=latest[1],
                )
            made = await p.create(tx, latest[0] if latest else None)
            note_change(p.id, None, {"content_hash": p.digest, "supersedes": made.supersedes_id})
            return Published(True, made)

        return await self._write(label, tenant, work)

    # --- agent versions -------------------------------------------------------------------

    async def publish_agent_version(
        self, tenant: str, spec: AgentVersionSpec
    ) -> Published[AgentVersion]:
        agent = rules.validate_name(spec.agent, "agent")
        version = rules.validate_semver(spec.version)
        model = rules.check_text(spec.model, "model", required=True) or ""
        provider = rules.check_text(spec.provider, "provider", required=True) or ""
        rules.check_text(spec.system_prompt, "system_prompt")
        rules.check_text(spec.changelog, "changelog")
        for index, tool in enumerate(spec.tools):
            if not tool or len(tool) > 256:
                raise BadUserInput(f"tools[{index}] must be 1-256 characters", field="tools")
        parameters = rules.canonical_parameters(spec.parameters)
        content = rules.agent_content(
            agent, version, model, provider, spec.system_prompt, spec.tools, parameters
        )
        digest = rules.agent_hash(content)
        vid = rules.agent_version_id(agent, version)

        async def create(tx: Tx, supersedes: str | None) -> AgentVersion:
            return await self._repo.create_agent_version(
                tx,
                {
                    "id": vid,
                    "agent": agent,
                    "version": version,
                    "model": model,
                    "provider": provider,
                    "system_prompt": spec.system_prompt,
                    "tools": list(spec.tools),
                    "parameters": parameters,
                    "changelog": spec.changelog,
                    "content_hash": digest,
                    "supersedes_id": supersedes,
                    "now": now_ms(),
                },
            )

        return await self._publish(
            "governance/publish_agent_version",
            tenant,
            _Publishing(
                vid,
                version,
                digest,
                find=lambda tx: self._repo.agent_versions_in(tx, [vid]),
                numbers=lambda tx: self._repo.agent_version_numbers(tx, agent),
                create=create,
                changed=lambda old: [c.field for c in rules.agent_diff(old, _as_agent(content))],
            ),
        )

    async def agent_version(self, tenant: str, version_id: str) -> AgentVersion | None:
        validate_id(version_id)
        return (await self._repo.agent_versions(tenant, [version_id])).get(version_id)

    async def agent_versions_page(
        self, tenant: str, agent: str, page: PageRequest
    ) -> list[AgentVersion]:
        rules.validate_name(agent, "agent")
        after = page.key(int, str)
        return await self._repo.list_agent_versions(
            tenant, agent, (after[0], after[1]) if after else None, page.size + 1
        )

    async def agent_version_diff(self, tenant: str, version_id: str, other_id: str) -> VersionDiff:
        validate_id(version_id)
        validate_id(other_id, "other_id")
        found = await self._repo.agent_versions(tenant, [version_id, other_id])
        a, b = _need(found, version_id, "id"), _need(found, other_id, "other_id")
        return VersionDiff(a.id, b.id, tuple(rules.agent_diff(a, b)))

    # --- prompt versions ------------------------------------------------------------------

    async def publish_prompt_version(
        self, tenant: str, spec: PromptVersionSpec
    ) -> Published[PromptVersion]:
        prompt = rules.validate_name(spec.prompt, "prompt")
        version = rules.validate_semver(spec.version)
        template = rules.check_text(spec.template, "template", required=True) or ""
        rules.check_text(spec.changelog, "changelog")
        variables = (
            list(spec.variables)
            if spec.variables is not None
            else rules.template_variables(template)
        )
        digest = rules.content_hash_of(rules.prompt_content(prompt, version, template, variables))
        vid = rules.prompt_version_id(prompt, version)

        async def create(tx: Tx, supersedes: str | None) -> PromptVersion:
            return await self._repo.create_prompt_version(
                tx,
                {
                    "id": vid,
                    "prompt": prompt,
                    "version": version,
                    "template": template,
                    "variables": variables,
                    "changelog": spec.changelog,
                    "content_hash": digest,
                    "supersedes_id": supersedes,
                    "now": now_ms(),
                },
            )

        return await self._publish(
            "governance/publish_prompt_version",
            tenant,
            _Publishing(
                vid,
                version,
                digest,
                find=lambda tx: self._repo.prompt_versions_in(tx, [vid]),
                numbers=lambda tx: self._repo.prompt_version_numbers(tx, prompt),
                create=create,
            ),
        )

    async def prompt_version(
        self,
        tenant: str,
        version_id: str | None,
        prompt: str | None,
        label: str | None,
    ) -> PromptVersion | None:
        if version_id is None:
            if prompt is None or label is None:
                raise BadUserInput("give id, or prompt and label", field="id")
            rules.validate_name(prompt, "prompt")
            rules.validate_name(label, "label")
            version_id = await self._repo.prompt_label(tenant, rules.prompt_label_id(prompt, label))
            if version_id is None:
                return None
        validate_id(version_id)
        return (await self._repo.prompt_versions(tenant, [version_id])).get(version_id)

    async def prompt_versions_page(
        self, tenant: str, prompt: str, page: PageRequest
    ) -> list[PromptVersion]:
        rules.validate_name(prompt, "prompt")
        after = page.key(int, str)
        return await self._repo.list_prompt_versions(
            tenant, prompt, (after[0], after[1]) if after else None, page.size + 1
        )

    async def prompt_version_diff(self, tenant: str, version_id: str, other_id: str) -> VersionDiff:
        validate_id(version_id)
        validate_id(other_id, "other_id")
        found = await self._repo.prompt_versions(tenant, [version_id, other_id])
        a, b = _need(found, version_id, "id"), _need(found, other_id, "other_id")
        changes, text = rules.prompt_diff(a, b)
        return VersionDiff(a.id, b.id, tuple(changes), text)

    async def set_prompt_label(
        self, tenant: str, prompt: str, label: str, version_id: str
    ) -> tuple[str | None, PromptVersion]:
        rules.validate_name(prompt, "prompt")
        rules.validate_name(label, "label")
        validate_id(version_id, "version_id")
        label_id = rules.prompt_label_id(prompt, label)

        async def work(tx: Tx) -> tuple[str | None, PromptVersion]:
            found = (await self._repo.prompt_versions_in(tx, [version_id])).get(version_id)
            if found is None:
                raise NotFound(f"no prompt version {version_id!r}", field="version_id")
            if found.prompt != prompt:
                raise BadUserInput(
                    f"{version_id} is a version of {found.prompt!r}, not {prompt!r}",
                    field="version_id",
                )
            before = await self._repo.prompt_label_in(tx, label_id)
            await self._repo.set_prompt_label(
                tx,
                {
                    "id": label_id,
                    "prompt": prompt,
                    "label": label,
                    "version_id": version_id,
                    "now": now_ms(),
                },
            )
            note_change(label_id, before, version_id)
            moved = (await self._repo.prompt_versions_in(tx, [version_id]))[version_id]
            return before, moved

        return await self._write("governance/set_prompt_label", tenant, work)

    # --- eval suites and runs -------------------------------------------------------------

    async def create_eval_suite(
        self,
        tenant: str,
        suite_id: str,
        name: str,
        description: str | None,
        cases: Sequence[tuple[str, str, str | None]],
    ) -> EvalSuite:
        validate_id(suite_id)
        rules.check_text(name, "name", required=True)
        rules.check_text(description, "description")
        if not cases:
            raise BadUserInput("cases must not be empty", field="cases")
        if len(cases) > rules.MAX_CASES:
            raise BadUserInput(f"at most {rules.MAX_CASES} cases", field="cases")
        seen: set[str] = set()
        rows = []
        for index, (case_id, text, expected) in enumerate(cases):
            validate_id(case_id, "cases")
            if case_id in seen:
                raise BadUserInput(f"cases[{index}]: id {case_id!r} twice", field="cases")
            seen.add(case_id)
            rules.check_text(text, "cases")
            rules.check_text(expected, "cases")
            rows.append(
                {
                    "node_id": f"{suite_id}#{case_id}",
                    "case_id": case_id,
                    "input": text,
                    "expected": expected,
                }
            )

        async def work(tx: Tx) -> EvalSuite:
            if await self._repo.eval_suites_in(tx, [suite_id]):
                raise Conflict(f"eval suite {suite_id!r} exists", field="id")
            params = {
                "id": suite_id,
                "name": name,
                "description": description,
                "cases": rows,
                "now": now_ms(),
            }
            await self._repo.create_eval_suite(tx, params)
            made = (await self._repo.eval_suites_in(tx, [suite_id])).get(suite_id)
            if made is None:
                raise Conflict(f"id {suite_id!r} is in use by another node", field="id")
            return made

        return await self._repo.write_tx("governance/create_eval_suite", work, tenant=tenant)

    async def eval_suite(self, tenant: str, suite_id: str) -> EvalSuite | None:
        validate_id(suite_id)
        return (await self._repo.eval_suites(tenant, [suite_id])).get(suite_id)

    async def record_eval_run(
        self,
        tenant: str,
        run_id: str,
        suite_id: str,
        version_id: str,
        results: Sequence[EvalResult],
    ) -> EvalRun:
        validate_id(run_id)
        validate_id(suite_id, "suite_id")
        validate_id(version_id, "version_id")
        aggregates = rules.aggregate(results)

        async def work(tx: Tx) -> EvalRun:
            suite = (await self._repo.eval_suites_in(tx, [suite_id])).get(suite_id)
            if suite is None:
                raise NotFound(f"no eval suite {suite_id!r}", field="suite_id")
            if not await self._repo.versions_in(tx, [version_id]):
                raise NotFound(f"no agent or prompt version {version_id!r}", field="version_id")
            rules.check_results(results, {c.case_id for c in suite.cases}, suite_id)
            if await self._repo.eval_runs_in(tx, [run_id]):
                raise Conflict(f"eval run {run_id!r} exists", field="id")
            a = aggregates
            await self._repo.create_eval_run(
                tx,
                {
                    "id": run_id,
                    "suite_id": suite_id,
                    "version_id": version_id,
                    "now": now_ms(),
                    "cases": a.cases,
                    "passed": a.passed,
                    "pass_rate": a.pass_rate,
                    "mean_score": a.mean_score,
                    "total_tokens": a.total_tokens,
                    "total_cost": a.total_cost,
                    "mean_latency_ms": a.mean_latency_ms,
                    "max_tokens_per_case": a.max_tokens_per_case,
                    "max_cost_per_case": a.max_cost_per_case,
                    "results": [
                        {
                            "node_id": f"{run_id}#{r.case_id}",
                            "case_node_id": f"{suite_id}#{r.case_id}",
                            "case_id": r.case_id,
                            "passed": r.passed,
                            "score": r.score,
                            "tokens": r.tokens,
                            "cost": r.cost,
                            "latency_ms": r.latency_ms,
                            "output": r.output,
                        }
                        for r in results
                    ],
                },
            )
            made = (await self._repo.eval_runs_in(tx, [run_id])).get(run_id)
            if made is None:
                raise Conflict(f"id {run_id!r} is in use by another node", field="id")
            return made

        # Validation happens inside the transaction; a refusal rolls back before any write.
        if not results:
            raise BadUserInput("results must not be empty", field="results")
        return await self._repo.write_tx("governance/record_eval_run", work, tenant=tenant)

    async def eval_run(self, tenant: str, run_id: str) -> EvalRun | None:
        validate_id(run_id)
        return (await self._repo.eval_runs(tenant, [run_id])).get(run_id)

    async def eval_drift(self, tenant: str, run_id: str, baseline_run_id: str) -> EvalDrift:
        validate_id(run_id, "run_id")
        validate_id(baseline_run_id, "baseline_run_id")
        found = await self._repo.eval_runs(tenant, [run_id, baseline_run_id])
        run = _need(found, run_id, "run_id")
        baseline = _need(found, baseline_run_id, "baseline_run_id")
        return rules.eval_drift(run, baseline)

    # --- environments, gates, promotions --------------------------------------------------

    async def configure_environment(
        self, tenant: str, name: str, policy: GatePolicy
    ) -> Environment:
        rules.validate_name(name, "name")
        rules.check_policy(policy)
        if policy.suite_id is not None:
            validate_id(policy.suite_id, "suite_id")
        env_id = rules.environment_id(name)
        before = await self._repo.environment(tenant, env_id)
        made = await self._repo.upsert_environment(
            tenant,
            {
                "id": env_id,
                "name": name,
                "now": now_ms(),
                "min_pass_rate": policy.min_pass_rate,
                "min_mean_score": policy.min_mean_score,
                "max_tokens_per_case": policy.max_tokens_per_case,
                "max_cost_per_case": policy.max_cost_per_case,
                "max_total_tokens": policy.max_total_tokens,
                "max_total_cost": policy.max_total_cost,
                "suite_id": policy.suite_id,
            },
        )
        note_change(
            env_id,
            asdict(before.policy) if before else None,
            asdict(made.policy),
        )
        return made

    async def environment(self, tenant: str, name: str) -> Environment | None:
        rules.validate_name(name, "name")
        return await self._repo.environment(tenant, rules.environment_id(name))

    async def _gate_in(
        self, tx: Tx, env: Environment, version_id: str
    ) -> tuple[GateResult, EvalRun | None]:
        run_id = await self._repo.latest_eval_run_in(tx, version_id, env.policy.suite_id)
        run = (await self._repo.eval_runs_in(tx, [run_id])).get(run_id) if run_id else None
        return rules.evaluate_gate(env.policy, run), run

    async def gate_check(self, tenant: str, environment: str, version_id: str) -> GateResult:
        rules.validate_name(environment, "environment")
        validate_id(version_id, "version_id")

        async def work(tx: Tx) -> GateResult:
            env = await self._env_in(tx, environment)
            await self._version_in(tx, version_id)
            return (await self._gate_in(tx, env, version_id))[0]

        return await self._repo._ex.read_tx("governance/gate_check", work, tenant=tenant)

    async def _env_in(self, tx: Tx, name: str) -> Environment:
        env = await self._repo.environment_in(tx, rules.environment_id(name))
        if env is None:
            raise NotFound(f"no environment {name!r}", field="environment")
        return env

    async def _version_in(self, tx: Tx, version_id: str) -> None:
        if not await self._repo.versions_in(tx, [version_id]):
            raise NotFound(f"no agent or prompt version {version_id!r}", field="version_id")

    async def _actor_in(self, tx: Tx, actor_id: str, field: str = "actor_id") -> str:
        kind = await self._repo.agent_kind_in(tx, actor_id)
        if kind is None:
            raise NotFound(f"no agent {actor_id!r}", field=field)
        return kind

    async def promote(
        self,
        tenant: str,
        environment: str,
        version_id: str,
        actor_id: str,
        reason: str,
        override: Override | None,
    ) -> Promotion:
        rules.validate_name(environment, "environment")
        validate_id(version_id, "version_id")
        validate_id(actor_id, "actor_id")
        _reason(reason, "reason")
        if override is not None:
            validate_id(override.agent_id, "override")
            _reason(override.reason, "override")

        async def work(tx: Tx) -> Promotion:
            env = await self._env_in(tx, environment)
            await self._version_in(tx, version_id)
            await self._actor_in(tx, actor_id)
            gate, _run = await self._gate_in(tx, env, version_id)
            if not gate.passed:
                if override is None:
                    raise rules.GateFailed(
                        f"{version_id} failed the gate of {environment!r}: "
                        + ", ".join(_describe(c) for c in gate.criteria if not c.passed),
                        field="version_id",
                        failed=list(gate.failed),
                        evalRunId=gate.eval_run_id,
                    )
                kind = await self._actor_in(tx, override.agent_id, "override")
                if kind != "human":
                    raise BadUserInput(
                        f"an override needs a human agent; {override.agent_id!r} is {kind}",
                        field="override",
                    )
            current = await self._repo.current_in(tx, rules.environment_id(environment))
            promotion_id = f"promotion--{uuid7()}"
            await self._repo.create_promotion(
                tx,
                {
                    "id": promotion_id,
                    "env_id": rules.environment_id(environment),
                    "version_id": version_id,
                    "action": PromotionAction.PROMOTE.value,
                    "actor_id": actor_id,
                    "reason": reason,
                    "gate_passed": gate.passed,
                    "failed_criteria": list(gate.failed),
                    "eval_run_id": gate.eval_run_id,
                    "previous_version_id": current.version_id if current else None,
                    "now": now_ms(),
                },
            )
            if not gate.passed and override is not None:
                await self._repo.create_gate_override(
                    tx,
                    {
                        "id": f"override--{uuid7()}",
                        "promotion_id": promotion_id,
                        "agent_id": override.agent_id,
                        "reason": override.reason,
                        "failed_criteria": list(gate.failed),
                        "now": now_ms(),
                    },
                )
            note_change(
                rules.environment_id(environment),
                current.version_id if current else None,
                version_id,
            )
            return (await self._repo.promotions_in(tx, [promotion_id]))[promotion_id]

        return await self._write("governance/promote", tenant, work)

    async def rollback(
        self, tenant: str, environment: str, actor_id: str, reason: str
    ) -> Promotion:
        rules.validate_name(environment, "environment")
        validate_id(actor_id, "actor_id")
        _reason(reason, "reason")
        env_id = rules.environment_id(environment)

        async def work(tx: Tx) -> Promotion:
            await self._env_in(tx, environment)
            await self._actor_in(tx, actor_id)
            current = await self._repo.current_in(tx, env_id)
            if current is None:
                raise rules.NoKnownGoodVersion(
                    f"nothing is deployed to {environment!r}", field="environment"
                )
            target = await self._repo.last_known_good_in(tx, env_id, current.version_id)
            if target is None:
                raise rules.NoKnownGoodVersion(
                    f"{environment!r} has no earlier version that passed its gate",
                    field="environment",
                    current=current.version_id,
                )
            promotion_id = f"promotion--{uuid7()}"
            await self._repo.create_promotion(
                tx,
                {
                    "id": promotion_id,
                    "env_id": env_id,
                    "version_id": target,
                    "action": PromotionAction.ROLLBACK.value,
                    "actor_id": actor_id,
                    "reason": reason,
                    # It is the last version that passed: a later rollback may return to it.
                    "gate_passed": True,
                    "failed_criteria": [],
                    "eval_run_id": None,
                    "previous_version_id": current.version_id,
                    "now": now_ms(),
                },
            )
            note_change(env_id, current.version_id, target)
            return (await self._repo.promotions_in(tx, [promotion_id]))[promotion_id]

        return await self._write("governance/rollback", tenant, work)

    async def deployments_page(
        self, tenant: str, environment: str, page: PageRequest
    ) -> list[Promotion]:
        rules.validate_name(environment, "environment")
        after = page.key(int, str)
        env_id = rules.environment_id(environment)
        if await self._repo.environment(tenant, env_id) is None:
            raise NotFound(f"no environment {environment!r}", field="environment")
        return await self._repo.list_promotions(
            tenant, env_id, (after[0], after[1]) if after else None, page.size + 1
        )

    # --- runs and usage -----------------------------------------------------------------

    async def link_versions(
        self,
        tenant: str,
        node_id: str,
        agent_version_id: str | None,
        prompt_version_id: str | None,
    ) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        validate_id(node_id, "node_id")
        if agent_version_id is None and prompt_version_id is None:
            raise BadUserInput(
                "give agentVersionId, promptVersionId or both", field="agent_version_id"
            )

        async def work(tx: Tx) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
            node = await self._repo.run_links_in(tx, node_id)
            if node is None:
                raise NotFound(f"no run or decision {node_id!r}", field="node_id")
            if agent_version_id is not None:
                validate_id(agent_version_id, "agent_version_id")
                if node["kind"] != "run":
                    raise BadUserInput(
                        "an agent version links to a run, not a decision",
                        field="agent_version_id",
                    )
                linked = [v for v in node["agent_version_ids"] if v != agent_version_id]
                if linked:
                    raise Conflict(
                        f"run {node_id!r} already ran as {linked[0]}",
                        field="agent_version_id",
                    )
                if not await self._repo.agent_versions_in(tx, [agent_version_id]):
                    raise NotFound(
                        f"no agent version {agent_version_id!r}", field="agent_version_id"
                    )
                await self._repo.link_run_agent_version(tx, node_id, agent_version_id)
            if prompt_version_id is not None:
                validate_id(prompt_version_id, "prompt_version_id")
                if not await self._repo.prompt_versions_in(tx, [prompt_version_id]):
                    raise NotFound(
                        f"no prompt version {prompt_version_id!r}", field="prompt_version_id"
                    )
                await self._repo.link_prompt_version(tx, node_id, prompt_version_id)
            after = await self._repo.run_links_in(tx, node_id)
            assert after is not None
            return (
                node_id,
                tuple(sorted(after["agent_version_ids"])),
                tuple(sorted(after["prompt_version_ids"])),
            )

        return await self._repo.write_tx("governance/link_versions", work, tenant=tenant)

    async def usage(
        self, tenant: str, version_id: str, baseline_version_id: str | None
    ) -> tuple[Usage, Usage | None, UsageDrift | None]:
        validate_id(version_id, "version_id")
        ids = [version_id]
        if baseline_version_id is not None:
            validate_id(baseline_version_id, "baseline_version_id")
            ids.append(baseline_version_id)
        found = await self._repo.usage(tenant, ids)
        usage = _need(found, version_id, "version_id")
        if baseline_version_id is None:
            return usage, None, None
        baseline = _need(found, baseline_version_id, "baseline_version_id")
        return usage, baseline, rules.usage_drift(usage, baseline)

    # --- audit ------------------------------------------------------------------------------

    async def audit_events(
        self, tenant: str, f: AuditFilter, page: PageRequest
    ) -> list[AuditEvent]:
        after = page.key(int)
        return await self._repo.audit_events(
            tenant, f, int(after[0]) if after else 0, page.size + 1
        )


def _need(found: dict[str, V], key: str, field: str) -> V:
    value = found.get(key)
    if value is None:
        raise NotFound(f"no {key!r}", field=field)
    return value


def _describe(c: Criterion) -> str:
    actual = "none" if c.actual is None else f"{c.actual:g}"
    return f"{c.name} {actual} (threshold {c.threshold:g})"


def _as_agent(content: dict[str, object]) -> AgentVersion:
    return AgentVersion(
        id="",
        agent=str(content["agent"]),
        version=str(content["version"]),
        model=str(content["model"]),
        provider=str(content["provider"]),
        system_prompt=content["system_prompt"]
        if isinstance(content["system_prompt"], str)
        else None,
        tools=tuple(content["tools"]) if isinstance(content["tools"], list) else (),
        parameters=canonical_json(content["parameters"]),
        changelog=None,
        content_hash="",
        supersedes_id=None,
        created_at=0,
    )
