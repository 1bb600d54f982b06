"""Governance repository: the named Cypher of ``cypher/governance/``, rows -> records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from provgraph.core.store.executor import Executor, Row, Tx
from provgraph.core.store.registry import query
from provgraph.governance.records import (
    AgentVersion,
    Aggregates,
    AuditEvent,
    AuditFilter,
    Environment,
    EvalCase,
    EvalResult,
    EvalRun,
    EvalSuite,
    GatePolicy,
    Promotion,
    PromotionAction,
    PromptVersion,
    Usage,
    VersionKind,
    VersionRef,
)

T = TypeVar("T")

CREATE_AGENT_VERSION = query("governance/create_agent_version")
GET_AGENT_VERSIONS = query("governance/get_agent_versions")
LIST_AGENT_VERSIONS = query("governance/list_agent_versions")
AGENT_VERSION_NUMBERS = query("governance/agent_version_numbers")
CREATE_PROMPT_VERSION = query("governance/create_prompt_version")
GET_PROMPT_VERSIONS = query("governance/get_prompt_versions")
LIST_PROMPT_VERSIONS = query("governance/list_prompt_versions")
PROMPT_VERSION_NUMBERS = query("governance/prompt_version_numbers")
GET_PROMPT_LABEL = query("governance/get_prompt_label")
SET_PROMPT_LABEL = query("governance/set_prompt_label")
GET_VERSIONS = query("governance/get_versions")
CREATE_EVAL_SUITE = query("governance/create_eval_suite")
GET_EVAL_SUITES = query("governance/get_eval_suites")
CREATE_EVAL_RUN = query("governance/create_eval_run")
GET_EVAL_RUNS = query("governance/get_eval_runs")
GET_EVAL_RESULTS = query("governance/get_eval_results")
LATEST_EVAL_RUN = query("governance/latest_eval_run")
UPSERT_ENVIRONMENT = query("governance/upsert_environment")
GET_ENVIRONMENT = query("governance/get_environment")
CREATE_PROMOTION = query("governance/create_promotion")
CREATE_GATE_OVERRIDE = query("governance/create_gate_override")
LIST_PROMOTIONS = query("governance/list_promotions")
GET_PROMOTIONS = query("governance/get_promotions")
LAST_KNOWN_GOOD = query("governance/last_known_good")
GET_AGENT_KIND = query("governance/get_agent_kind")
GET_RUN_LINKS = query("governance/get_run_links")
LINK_RUN_AGENT_VERSION = query("governance/link_run_agent_version")
LINK_PROMPT_VERSION = query("governance/link_prompt_version")
VERSION_USAGE = query("governance/version_usage")
LIST_AUDIT_EVENTS = query("governance/list_audit_events")


def to_agent_version(r: Row) -> AgentVersion:
    return AgentVersion(
        id=r["id"],
        agent=r["agent"],
        version=r["version"],
        model=r["model"],
        provider=r["provider"],
        system_prompt=r["system_prompt"],
        tools=tuple(r["tools"] or ()),
        parameters=r["parameters"] or "{}",
        changelog=r["changelog"],
        content_hash=r["content_hash"],
        supersedes_id=r["supersedes_id"],
        created_at=int(r["created_at"]),
    )


def to_prompt_version(r: Row) -> PromptVersion:
    return PromptVersion(
        id=r["id"],
        prompt=r["prompt"],
        version=r["version"],
        template=r["template"],
        variables=tuple(r["variables"] or ()),
        changelog=r["changelog"],
        content_hash=r["content_hash"],
        supersedes_id=r["supersedes_id"],
        created_at=int(r["created_at"]),
        labels=tuple(r["labels"] or ()),
    )


def to_environment(r: Row) -> Environment:
    return Environment(
        name=r["name"],
        created_at=int(r["created_at"]),
        policy=GatePolicy(
            min_pass_rate=float(r["min_pass_rate"]),
            min_mean_score=float(r["min_mean_score"]),
            max_tokens_per_case=int(r["max_tokens_per_case"]),
            max_cost_per_case=float(r["max_cost_per_case"]),
            max_total_tokens=int(r["max_total_tokens"]),
            max_total_cost=float(r["max_total_cost"]),
            suite_id=r["suite_id"],
        ),
    )


def to_promotion(r: Row) -> Promotion:
    return Promotion(
        id=r["id"],
        environment=r["environment"],
        version_id=r["version_id"],
        action=PromotionAction(r["action"]),
        actor_id=r["actor_id"],
        reason=r["reason"],
        gate_passed=bool(r["gate_passed"]),
        failed_criteria=tuple(r["failed_criteria"] or ()),
        eval_run_id=r["eval_run_id"],
        previous_version_id=r["previous_version_id"],
        override_agent_id=r["override_agent_id"],
        override_reason=r["override_reason"],
        created_at=int(r["created_at"]),
    )


def to_audit_event(tenant: str, r: Row) -> AuditEvent:
    return AuditEvent(
        tenant=tenant,
        seq=int(r["seq"]),
        id=r["id"],
        at=int(r["at"]),
        key_id=r["key_id"],
        action=r["action"],
        operation=r["operation"],
        query=r["query"],
        correlation_id=r["correlation_id"],
        target_ids=tuple(r["target_ids"] or ()),
        args_digest=r["args_digest"],
        changes=r["changes"],
        prev_hash=r["prev_hash"],
        hash=r["hash"],
    )


def _after(after: tuple[int, str] | None) -> dict[str, Any]:
    return {"after_created": after[0] if after else None, "after_id": after[1] if after else None}


class GovernanceRepository:
    def __init__(self, executor: Executor) -> None:
        self._ex = executor

    async def write_tx(self, label: str, work: Callable[[Tx], Awaitable[T]], *, tenant: str) -> T:
        return await self._ex.write_tx(label, work, tenant=tenant)

    # --- agent versions ---------------------------------------------------------------

    @staticmethod
    async def create_agent_version(tx: Tx, params: dict[str, Any]) -> AgentVersion:
        rows = await tx.run(CREATE_AGENT_VERSION, params)
        return to_agent_version(rows[0])

    @staticmethod
    async def agent_versions_in(tx: Tx, ids: Sequence[str]) -> dict[str, AgentVersion]:
        rows = await tx.run(GET_AGENT_VERSIONS, {"ids": list(ids)})
        return {r["id"]: to_agent_version(r) for r in rows}

    @staticmethod
    async def agent_version_numbers(tx: Tx, agent: str) -> list[tuple[str, str]]:
        rows = await tx.run(AGENT_VERSION_NUMBERS, {"agent": agent})
        return [(r["id"], r["version"]) for r in rows]

    async def agent_versions(self, tenant: str, ids: Sequence[str]) -> dict[str, AgentVersion]:
        rows = await self._ex.read(GET_AGENT_VERSIONS, {"ids": list(ids)}, tenant=tenant)
        return {r["id"]: to_agent_version(r) for r in rows}

    async def list_agent_versions(
        self, tenant: str, agent: str, after: tuple[int, str] | None, limit: int
    ) -> list[AgentVersion]:
        params = {"agent": agent, "limit": limit, **_after(after)}
        rows = await self._ex.read(LIST_AGENT_VERSIONS, params, tenant=tenant)
        return [to_agent_version(r) for r in rows]

    # --- prompt versions --------------------------------------------------------------

    @staticmethod
    async def create_prompt_version(tx: Tx, params: dict[str, Any]) -> PromptVersion:
        rows = await tx.run(CREATE_PROMPT_VERSION, params)
        return to_prompt_version(rows[0])

    @staticmethod
    async def prompt_versions_in(tx: Tx, ids: Sequence[str]) -> dict[str, PromptVersion]:
        rows = await tx.run(GET_PROMPT_VERSIONS, {"ids": list(ids)})
        return {r["id"]: to_prompt_version(r) for r in rows}

    @staticmethod
    async def prompt_version_numbers(tx: Tx, prompt: str) -> list[tuple[str, str]]:
        rows = await tx.run(PROMPT_VERSION_NUMBERS, {"prompt": prompt})
        return [(r["id"], r["version"]) for r in rows]

    async def prompt_versions(self, tenant: str, ids: Sequence[str]) -> dict[str, PromptVersion]:
        rows = await self._ex.read(GET_PROMPT_VERSIONS, {"ids": list(ids)}, tenant=tenant)
        return {r["id"]: to_prompt_version(r) for r in rows}

    async def list_prompt_versions(
        self, tenant: str, prompt: str, after: tuple[int, str] | None, limit: int
    ) -> list[PromptVersion]:
        params = {"prompt": prompt, "limit": limit, **_after(after)}
        rows = await self._ex.read(LIST_PROMPT_VERSIONS, params, tenant=tenant)
        return [to_prompt_version(r) for r in rows]

    async def prompt_label(self, tenant: str, label_id: str) -> str | None:
        rows = await self._ex.read(GET_PROMPT_LABEL, {"id": label_id}, tenant=tenant)
        return rows[0]["version_id"] if rows else None

    @staticmethod
    async def prompt_label_in(tx: Tx, label_id: str) -> str | None:
        rows = await tx.run(GET_PROMPT_LABEL, {"id": label_id})
        return rows[0]["version_id"] if rows else None

    @staticmethod
    async def set_prompt_label(tx: Tx, params: dict[str, Any]) -> bool:
        return bool(await tx.run(SET_PROMPT_LABEL, params))

    # --- any version --------------------------------------------------------------------

    @staticmethod
    async def versions_in(tx: Tx, ids: Sequence[str]) -> dict[str, VersionRef]:
        rows = await tx.run(GET_VERSIONS, {"ids": list(ids)})
        return {
            r["id"]: VersionRef(r["id"], VersionKind(r["kind"]), r["name"], r["version"])
            for r in rows
        }

    async def versions(self, tenant: str, ids: Sequence[str]) -> dict[str, VersionRef]:
        async def work(tx: Tx) -> dict[str, VersionRef]:
            return await self.versions_in(tx, ids)

        return await self._ex.read_tx(GET_VERSIONS, work, tenant=tenant)

    # --- eval suites and runs -----------------------------------------------------------

    @staticmethod
    async def create_eval_suite(tx: Tx, params: dict[str, Any]) -> None:
        await tx.run(CREATE_EVAL_SUITE, params)

    @staticmethod
    async def eval_suites_in(tx: Tx, ids: Sequence[str]) -> dict[str, EvalSuite]:
        rows = await tx.run(GET_EVAL_SUITES, {"ids": list(ids)})
        return {
            r["id"]: EvalSuite(
                id=r["id"],
                name=r["name"],
                description=r["description"],
                created_at=int(r["created_at"]),
                cases=tuple(
                    EvalCase(c, i, e or None)
                    for c, i, e in zip(r["case_ids"], r["inputs"], r["expected"], strict=True)
                ),
            )
            for r in rows
        }

    async def eval_suites(self, tenant: str, ids: Sequence[str]) -> dict[str, EvalSuite]:
        async def work(tx: Tx) -> dict[str, EvalSuite]:
            return await self.eval_suites_in(tx, ids)

        return await self._ex.read_tx(GET_EVAL_SUITES, work, tenant=tenant)

    @staticmethod
    async def create_eval_run(tx: Tx, params: dict[str, Any]) -> bool:
        return bool(await tx.run(CREATE_EVAL_RUN, params))

    @staticmethod
    async def eval_runs_in(tx: Tx, ids: Sequence[str]) -> dict[str, EvalRun]:
        rows = await tx.run(GET_EVAL_RUNS, {"ids": list(ids)})
        if not rows:
            return {}
        found = await tx.run(GET_EVAL_RESULTS, {"run_ids": [r["id"] for r in rows]})
        results: dict[str, list[EvalResult]] = {}
        for x in found:
            results.setdefault(x["run_id"], []).append(
                EvalResult(
                    case_id=x["case_id"],
                    passed=bool(x["passed"]),
                    score=float(x["score"]),
                    tokens=int(x["tokens"]),
                    cost=float(x["cost"]),
                    latency_ms=int(x["latency_ms"]),
                    output=x["output"],
                )
            )
        return {
            r["id"]: EvalRun(
                id=r["id"],
                suite_id=r["suite_id"],
                version_id=r["version_id"],
                created_at=int(r["created_at"]),
                aggregates=Aggregates(
                    cases=int(r["cases"]),
                    passed=int(r["passed"]),
                    pass_rate=float(r["pass_rate"]),
                    mean_score=float(r["mean_score"]),
                    total_tokens=int(r["total_tokens"]),
                    total_cost=float(r["total_cost"]),
                    mean_latency_ms=float(r["mean_latency_ms"]),
                    max_tokens_per_case=int(r["max_tokens_per_case"]),
                    max_cost_per_case=float(r["max_cost_per_case"]),
                ),
                results=tuple(results.get(r["id"], [])),
            )
            for r in rows
        }

    async def eval_runs(self, tenant: str, ids: Sequence[str]) -> dict[str, EvalRun]:
        async def work(tx: Tx) -> dict[str, EvalRun]:
            return await self.eval_runs_in(tx, ids)

        return await self._ex.read_tx(GET_EVAL_RUNS, work, tenant=tenant)

    @staticmethod
    async def latest_eval_run_in(tx: Tx, version_id: str, suite_id: str | None) -> str | None:
        rows = await tx.run(LATEST_EVAL_RUN, {"version_id": version_id, "suite_id": suite_id})
        return rows[0]["id"] if rows else None

    # --- environments and promotions ------------------------------------------------------

    async def upsert_environment(self, tenant: str, params: dict[str, Any]) -> Environment:
        rows = await self._ex.write(UPSERT_ENVIRONMENT, params, tenant=tenant)
        return to_environment(rows[0])

    @staticmethod
    async def environment_in(tx: Tx, env_id: str) -> Environment | None:
        rows = await tx.run(GET_ENVIRONMENT, {"id": env_id})
        return to_environment(rows[0]) if rows else None

    async def environment(self, tenant: str, env_id: str) -> Environment | None:
        rows = await self._ex.read(GET_ENVIRONMENT, {"id": env_id}, tenant=tenant)
        return to_environment(rows[0]) if rows else None

    @staticmethod
    async def create_promotion(tx: Tx, params: dict[str, Any]) -> bool:
        return bool(await tx.run(CREATE_PROMOTION, params))

    @staticmethod
    async def create_gate_override(tx: Tx, params: dict[str, Any]) -> bool:
        return bool(await tx.run(CREATE_GATE_OVERRIDE, params))

    @staticmethod
    async def promotions_in(tx: Tx, ids: Sequence[str]) -> dict[str, Promotion]:
        rows = await tx.run(GET_PROMOTIONS, {"ids": list(ids)})
        return {r["id"]: to_promotion(r) for r in rows}

    @staticmethod
    async def current_in(tx: Tx, env_id: str) -> Promotion | None:
        params = {"env_id": env_id, "limit": 1, **_after(None)}
        rows = await tx.run(LIST_PROMOTIONS, params)
        return to_promotion(rows[0]) if rows else None

    async def list_promotions(
        self, tenant: str, env_id: str, after: tuple[int, str] | None, limit: int
    ) -> list[Promotion]:
        params = {"env_id": env_id, "limit": limit, **_after(after)}
        rows = await self._ex.read(LIST_PROMOTIONS, params, tenant=tenant)
        return [to_promotion(r) for r in rows]

    @staticmethod
    async def last_known_good_in(tx: Tx, env_id: str, current_id: str) -> str | None:
        rows = await tx.run(LAST_KNOWN_GOOD, {"env_id": env_id, "current_id": current_id})
        return rows[0]["version_id"] if rows else None

    @staticmethod
    async def agent_kind_in(tx: Tx, agent_id: str) -> str | None:
        rows = await tx.run(GET_AGENT_KIND, {"id": agent_id})
        return rows[0]["agent_kind"] if rows else None

    # --- runs and usage -------------------------------------------------------------------

    @staticmethod
    async def run_links_in(tx: Tx, node_id: str) -> Row | None:
        rows = await tx.run(GET_RUN_LINKS, {"id": node_id})
        return rows[0] if rows else None

    @staticmethod
    async def link_run_agent_version(tx: Tx, run_id: str, version_id: str) -> None:
        await tx.run(LINK_RUN_AGENT_VERSION, {"id": run_id, "version_id": version_id})

    @staticmethod
    async def link_prompt_version(tx: Tx, node_id: str, version_id: str) -> None:
        await tx.run(LINK_PROMPT_VERSION, {"id": node_id, "version_id": version_id})

    async def usage(self, tenant: str, ids: Sequence[str]) -> dict[str, Usage]:
        rows = await self._ex.read(VERSION_USAGE, {"ids": list(ids)}, tenant=tenant)
        return {
            r["id"]: Usage(
                version_id=r["id"],
                runs=int(r["runs"] or 0),
                failed_runs=int(r["failed_runs"] or 0),
                error_nodes=int(r["error_nodes"] or 0),
                tokens=int(r["tokens"] or 0),
                cost=float(r["cost"] or 0.0),
                latency_ms=int(r["latency_ms"] or 0),
            )
            for r in rows
        }

    # --- audit ----------------------------------------------------------------------------

    async def audit_events(
        self, tenant: str, f: AuditFilter, after_seq: int, limit: int
    ) -> list[AuditEvent]:
        params = {
            "action": f.action,
            "key_id": f.key_id,
            "target_id": f.target_id,
            "correlation_id": f.correlation_id,
            "since": f.since,
            "until": f.until,
            "after_seq": after_seq,
            "limit": limit,
        }
        rows = await self._ex.read(LIST_AUDIT_EVENTS, params, tenant=tenant)
        return [to_audit_event(tenant, r) for r in rows]
