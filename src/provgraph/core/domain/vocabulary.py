"""Every node label and relationship type provgraph writes: the allow-list for Cypher.

Labels are PascalCase nouns, relationship types UPPER_SNAKE verbs; one name is never both
(ArcadeDB keeps one type namespace). The Cypher lint checks every query against these lists, and
``tests/unit/test_vocabulary_cypher.py`` checks the lists spelled out in Cypher (the traversal and
cycle queries' relationship types, the start-up registration and its counts, the per-kind blocks
and per-type blocks of ``runs/write_batch``) against the enums below.

Direction: every provenance relationship is stored pointing from effect to cause, as W3C PROV's
own relations do (wasGeneratedBy, used, wasDerivedFrom). So "everything that could have
influenced x" is what following outgoing causal edges from x reaches, ``(x)-[:CAUSAL]->(a)``
level by level, on both engines. Clients
still speak their own verbs ("observation influenced decision"); ``EdgeKind`` maps each verb to
its stored type and tells whether the client's source is the stored start or end.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Every provgraph node carries BASE_LABEL: unique by (tenant, id) across all kinds.
BASE_LABEL = "Node"


class NodeLabel(StrEnum):
    # agent runs
    RUN = "Run"
    DECISION = "Decision"
    TOOL_CALL = "ToolCall"
    TOOL_RESULT = "ToolResult"
    MEMORY_FACT = "MemoryFact"
    OBSERVATION = "Observation"
    INPUT = "Input"
    OUTPUT = "Output"
    # multi-agent work
    TASK = "Task"
    AGENT = "Agent"
    ACTIVITY = "Activity"
    COMMENT = "Comment"
    # access
    API_KEY = "ApiKey"
    TENANT_LOCK = "TenantLock"
    # governance: versions, evaluations, deployments
    AGENT_VERSION = "AgentVersion"
    PROMPT_VERSION = "PromptVersion"
    PROMPT_LABEL = "PromptLabel"
    EVAL_SUITE = "EvalSuite"
    EVAL_CASE = "EvalCase"
    EVAL_RUN = "EvalRun"
    EVAL_RESULT = "EvalResult"
    ENVIRONMENT = "Environment"
    PROMOTION = "Promotion"
    GATE_OVERRIDE = "GateOverride"
    # the audit trail (every mutation of every area), hash-chained per tenant
    AUDIT_EVENT = "AuditEvent"
    AUDIT_HEAD = "AuditHead"


class RelType(StrEnum):
    # runs (effect -> cause)
    WAS_INFLUENCED_BY = "WAS_INFLUENCED_BY"
    WAS_TRIGGERED_BY = "WAS_TRIGGERED_BY"
    WAS_PRODUCED_BY = "WAS_PRODUCED_BY"
    CONSUMED = "CONSUMED"
    # tasks (effect -> cause)
    BLOCKED_BY = "BLOCKED_BY"
    WAS_DERIVED_FROM = "WAS_DERIVED_FROM"
    SUPERSEDES = "SUPERSEDES"
    WAS_DISCOVERED_FROM = "WAS_DISCOVERED_FROM"
    WAS_GENERATED_BY = "WAS_GENERATED_BY"
    WAS_ATTRIBUTED_TO = "WAS_ATTRIBUTED_TO"
    WAS_ASSOCIATED_WITH = "WAS_ASSOCIATED_WITH"
    # runs to runs and to tracker work (effect -> cause)
    WAS_STARTED_BY = "WAS_STARTED_BY"
    ACTED_ON_BEHALF_OF = "ACTED_ON_BEHALF_OF"
    WAS_INFORMED_BY = "WAS_INFORMED_BY"
    WAS_PART_OF = "WAS_PART_OF"
    # not provenance: structure
    COMMENTS_ON = "COMMENTS_ON"
    # governance (effect -> cause; not followed by run traversals)
    WAS_REVISION_OF = "WAS_REVISION_OF"  # version -> the version it supersedes
    POINTS_TO = "POINTS_TO"  # prompt label -> prompt version
    USED = "USED"  # promotion|eval run|run|decision -> version, suite or prompt used
    RAN_WITH = "RAN_WITH"  # run -> agent version that ran it
    EVALUATED = "EVALUATED"  # eval run -> version evaluated
    BELONGS_TO = "BELONGS_TO"  # eval case -> suite, eval result -> eval run
    ASSESSED = "ASSESSED"  # eval result -> eval case
    DEPLOYED_TO = "DEPLOYED_TO"  # promotion -> environment
    WAS_AUTHORIZED_BY = "WAS_AUTHORIZED_BY"  # promotion -> gate override


@dataclass(frozen=True)
class EdgeKindSpec:
    rel_type: RelType
    # True when the client's (source, target) is stored as (start, end): the source is the
    # effect. False for cause->effect verbs (influenced, triggered, produced), stored reversed.
    source_is_effect: bool


class EdgeKind(StrEnum):
    """Edge kinds as clients name them (source -kind-> target)."""

    INFLUENCED = "influenced"  # observation -influenced-> decision
    TRIGGERED = "triggered"  # decision -triggered-> tool_call
    PRODUCED = "produced"  # tool_call -produced-> tool_result
    CONSUMED = "consumed"  # decision -consumed-> memory_fact
    BLOCKED_BY = "blocked_by"  # task -blocked_by-> task
    DERIVED_FROM = "derived_from"
    SUPERSEDES = "supersedes"
    DISCOVERED_FROM = "discovered_from"
    GENERATED_BY = "generated_by"  # task|run node -generated_by-> activity
    ATTRIBUTED_TO = "attributed_to"  # task|run -attributed_to-> agent
    ASSOCIATED_WITH = "associated_with"  # activity -associated_with-> agent
    STARTED_BY = "started_by"  # sub-run -started_by-> parent run (or the parent's run node)
    ACTED_ON_BEHALF_OF = "acted_on_behalf_of"  # delegate run -acted_on_behalf_of-> delegator
    INFORMED_BY = "informed_by"  # run -informed_by-> run it was handed results by
    PART_OF = "part_of"  # run -part_of-> task

    @property
    def spec(self) -> EdgeKindSpec:
        return EDGE_SPECS[self]


EDGE_SPECS: dict[EdgeKind, EdgeKindSpec] = {
    EdgeKind.INFLUENCED: EdgeKindSpec(RelType.WAS_INFLUENCED_BY, source_is_effect=False),
    EdgeKind.TRIGGERED: EdgeKindSpec(RelType.WAS_TRIGGERED_BY, source_is_effect=False),
    EdgeKind.PRODUCED: EdgeKindSpec(RelType.WAS_PRODUCED_BY, source_is_effect=False),
    EdgeKind.CONSUMED: EdgeKindSpec(RelType.CONSUMED, source_is_effect=True),
    EdgeKind.BLOCKED_BY: EdgeKindSpec(RelType.BLOCKED_BY, source_is_effect=True),
    EdgeKind.DERIVED_FROM: EdgeKindSpec(RelType.WAS_DERIVED_FROM, source_is_effect=True),
    EdgeKind.SUPERSEDES: EdgeKindSpec(RelType.SUPERSEDES, source_is_effect=True),
    EdgeKind.DISCOVERED_FROM: EdgeKindSpec(RelType.WAS_DISCOVERED_FROM, source_is_effect=True),
    EdgeKind.GENERATED_BY: EdgeKindSpec(RelType.WAS_GENERATED_BY, source_is_effect=True),
    EdgeKind.ATTRIBUTED_TO: EdgeKindSpec(RelType.WAS_ATTRIBUTED_TO, source_is_effect=True),
    EdgeKind.ASSOCIATED_WITH: EdgeKindSpec(RelType.WAS_ASSOCIATED_WITH, source_is_effect=True),
    EdgeKind.STARTED_BY: EdgeKindSpec(RelType.WAS_STARTED_BY, source_is_effect=True),
    EdgeKind.ACTED_ON_BEHALF_OF: EdgeKindSpec(RelType.ACTED_ON_BEHALF_OF, source_is_effect=True),
    EdgeKind.INFORMED_BY: EdgeKindSpec(RelType.WAS_INFORMED_BY, source_is_effect=True),
    EdgeKind.PART_OF: EdgeKindSpec(RelType.WAS_PART_OF, source_is_effect=True),
}

REL_TO_KIND: dict[RelType, EdgeKind] = {spec.rel_type: kind for kind, spec in EDGE_SPECS.items()}

# The relationship types a lineage traversal follows (all of them stored effect -> cause).
CAUSAL_REL_TYPES: tuple[RelType, ...] = tuple(spec.rel_type for spec in EDGE_SPECS.values())
# The others: structure, never followed by a traversal. Every RelType is in exactly one of the two.
STRUCTURAL_REL_TYPES: tuple[RelType, ...] = (
    RelType.COMMENTS_ON,
    RelType.WAS_REVISION_OF,
    RelType.POINTS_TO,
    RelType.USED,
    RelType.RAN_WITH,
    RelType.EVALUATED,
    RelType.BELONGS_TO,
    RelType.ASSESSED,
    RelType.DEPLOYED_TO,
    RelType.WAS_AUTHORIZED_BY,
)

LABELS: tuple[str, ...] = (BASE_LABEL, *(label.value for label in NodeLabel))
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(rel.value for rel in RelType)


def check_disjoint() -> None:
    clash = set(LABELS) & set(RELATIONSHIP_TYPES)
    if clash:
        raise ValueError(f"names used as both label and relationship type: {sorted(clash)}")
