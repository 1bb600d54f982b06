"""Finding runs without a database: run filters and their checks, run labels, the metadata
key/value terms a run is found by, and the aggregates a batch adds to its run."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from provgraph.core.domain.errors import BadUserInput
from provgraph.runs.rules import NodeSpec, RunStatus

MAX_LABEL = 100
MAX_FILTER_TEXT = 500
MAX_META_KEYS = 100
# Separates a metadata key from its value in the stored terms (never in a JSON key people type).
META_SEPARATOR = "\u001f"


MAX_SEARCH_TEXT = 500
MAX_SEARCH_TERMS = 10


class SearchKind(StrEnum):
    """What a search looks at: run nodes of a kind, or runs (their metadata and agent)."""

    RUN = "run"
    DECISION = "decision"
    TOOL_CALL = "tool_call"
    TOOL_RESULT = "tool_result"
    MEMORY_FACT = "memory_fact"
    OBSERVATION = "observation"
    INPUT = "input"
    OUTPUT = "output"


def search_terms(text: str) -> list[str]:
    """The lower-case terms of a search text (split on white space, deduplicated, in order);
    BAD_USER_INPUT when empty, longer than 500 characters or of more than 10 terms."""
    if len(text) > MAX_SEARCH_TEXT:
        raise BadUserInput(f"text is longer than {MAX_SEARCH_TEXT} characters", field="text")
    if any(ord(c) < 32 and not c.isspace() for c in text):
        raise BadUserInput("text contains control characters", field="text")
    terms = list(dict.fromkeys(text.lower().split()))
    if not terms:
        raise BadUserInput("text must not be empty", field="text")
    if len(terms) > MAX_SEARCH_TERMS:
        raise BadUserInput(f"text has more than {MAX_SEARCH_TERMS} terms", field="text")
    return terms


@dataclass(frozen=True)
class SearchHit:
    """A search hit: a run node (``kind`` its kind) or a run (``kind`` "run"), its run, its
    score (2 per term matched, +1 when its tool name is a term)."""

    id: str
    kind: str
    run_id: str
    score: int


def snippet(text: str | None, terms: Sequence[str], width: int = 160) -> str | None:
    """Up to ``width`` characters of ``text`` around the first term found in it."""
    if not text:
        return None
    low = text.lower()
    at = min((i for i in (low.find(t) for t in terms) if i >= 0), default=-1)
    if at < 0:
        return None
    start = max(0, at - width // 3)
    cut = text[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")


class RunOrder(StrEnum):
    """How a run list is ordered: by start time (record time when not given), then id."""

    STARTED_AT_DESC = "started_at_desc"
    STARTED_AT_ASC = "started_at_asc"


def check_run_label(label: str, field: str = "label") -> str:
    """A run label: 1-100 characters, trimmed, no control characters."""
    clean = label.strip()
    if not clean:
        raise BadUserInput(f"{field} must not be empty", field=field)
    if len(clean) > MAX_LABEL:
        raise BadUserInput(f"{field} is longer than {MAX_LABEL} characters", field=field)
    if any(ord(c) < 32 or ord(c) == 127 for c in clean):
        raise BadUserInput(f"{field} contains control characters", field=field)
    return clean


def _check_text(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    if not value.strip():
        raise BadUserInput(f"{field} must not be empty", field=field)
    if len(value) > MAX_FILTER_TEXT:
        raise BadUserInput(f"{field} is longer than {MAX_FILTER_TEXT} characters", field=field)
    if "\x00" in value or META_SEPARATOR in value:
        raise BadUserInput(f"{field} contains control characters", field=field)
    return value


def _check_value(value: str | None, field: str) -> str | None:
    """Like ``_check_text`` but an empty value is a value (``{"k": ""}``)."""
    if value is None:
        return None
    if len(value) > MAX_FILTER_TEXT:
        raise BadUserInput(f"{field} is longer than {MAX_FILTER_TEXT} characters", field=field)
    if "\x00" in value or META_SEPARATOR in value:
        raise BadUserInput(f"{field} contains control characters", field=field)
    return value


def meta_term(key: str, value: str) -> str:
    return f"{key}{META_SEPARATOR}{value}"


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return json.dumps(value)
    return None  # objects and arrays are not filterable


def metadata_terms(metadata: str | None) -> list[str]:
    """The ``key<US>value`` terms of a run's metadata: its top-level keys with scalar values
    (strings as they are, numbers, booleans and null as JSON), at most 100."""
    if metadata is None:
        return []
    try:
        parsed = json.loads(metadata)
    except ValueError:  # pragma: no cover - recordRun checks the JSON first
        return []
    if not isinstance(parsed, dict):
        return []
    terms: list[str] = []
    for key, value in list(parsed.items())[:MAX_META_KEYS]:
        text = _scalar_text(value)
        if text is not None and len(key) <= MAX_FILTER_TEXT and len(text) <= MAX_FILTER_TEXT:
            terms.append(meta_term(str(key), text))
    return sorted(set(terms))


@dataclass(frozen=True)
class BatchAggregates:
    """What a batch's new nodes add to their run's aggregates."""

    tool_names: list[str] = field(default_factory=list)
    errors: int = 0
    tokens: int = 0
    cost: float = 0.0
    latency: int = 0


def is_error(node: NodeSpec) -> bool:
    return node.error is not None or (node.tool_status or "").lower() == "error"


def aggregate(nodes: Iterable[NodeSpec]) -> BatchAggregates:
    chosen = list(nodes)
    return BatchAggregates(
        tool_names=sorted({n.tool_name for n in chosen if n.tool_name}),
        errors=sum(1 for n in chosen if is_error(n)),
        tokens=sum(n.tokens or 0 for n in chosen),
        cost=float(sum(n.cost or 0.0 for n in chosen)),
        latency=sum(n.latency_ms or 0 for n in chosen),
    )


@dataclass(frozen=True)
class RunFilter:
    """What a run list keeps; every field None (or empty) keeps everything."""

    agent_id: str | None = None
    statuses: Sequence[RunStatus] = ()
    started_after: int | None = None
    started_before: int | None = None
    ended_after: int | None = None
    ended_before: int | None = None
    label: str | None = None
    metadata_key: str | None = None
    metadata_value: str | None = None
    tool_name: str | None = None
    has_error: bool | None = None
    session_id: str | None = None

    def checked(self) -> RunFilter:
        """This filter with its text trimmed and checked; BAD_USER_INPUT naming the field."""
        for low, high, name in (
            (self.started_after, self.started_before, "started"),
            (self.ended_after, self.ended_before, "ended"),
        ):
            if low is not None and high is not None and low >= high:
                raise BadUserInput(
                    f"filter.{name}After must be before filter.{name}Before",
                    field=f"filter.{name}_after",
                )
        if (self.metadata_key is None) != (self.metadata_value is None):
            raise BadUserInput(
                "filter.metadataKey and filter.metadataValue go together",
                field="filter.metadata_key",
            )
        return RunFilter(
            agent_id=_check_text(self.agent_id, "filter.agent_id"),
            statuses=tuple(sorted(set(self.statuses))),
            started_after=self.started_after,
            started_before=self.started_before,
            ended_after=self.ended_after,
            ended_before=self.ended_before,
            label=check_run_label(self.label, "filter.label") if self.label is not None else None,
            metadata_key=_check_text(self.metadata_key, "filter.metadata_key"),
            metadata_value=_check_value(self.metadata_value, "filter.metadata_value"),
            tool_name=_check_text(self.tool_name, "filter.tool_name"),
            has_error=self.has_error,
            session_id=_check_text(self.session_id, "filter.session_id"),
        )

    def params(self) -> dict[str, Any]:
        term = (
            meta_term(self.metadata_key, self.metadata_value)
            if self.metadata_key is not None and self.metadata_value is not None
            else None
        )
        return {
            "agent_id": self.agent_id,
            "statuses": [s.value for s in self.statuses],
            "started_after": self.started_after,
            "started_before": self.started_before,
            "ended_after": self.ended_after,
            "ended_before": self.ended_before,
            "label": self.label,
            "meta_kv": term,
            "tool_name": self.tool_name,
            "has_error": self.has_error,
            "session_id": self.session_id,
        }


@dataclass(frozen=True)
class SessionFilter:
    """Which sessions a session list keeps; None keeps everything."""

    agent_id: str | None = None
    active_after: int | None = None
    active_before: int | None = None

    def checked(self) -> SessionFilter:
        if (
            self.active_after is not None
            and self.active_before is not None
            and self.active_after >= self.active_before
        ):
            raise BadUserInput(
                "filter.activeAfter must be before filter.activeBefore",
                field="filter.active_after",
            )
        return SessionFilter(
            _check_text(self.agent_id, "filter.agent_id"), self.active_after, self.active_before
        )

    def params(self) -> dict[str, Any]:
        return {
            "agent_id": self.agent_id,
            "active_after": self.active_after,
            "active_before": self.active_before,
        }


MODEL_PREFIX = "model" + META_SEPARATOR


@dataclass(frozen=True)
class ModelRollup:
    """Sums for one model (None: runs whose metadata names no model)."""

    model: str | None
    runs: int = 0
    nodes: int = 0
    tokens: int = 0
    cost: float = 0.0
    latency_ms: int = 0
    errors: int = 0


@dataclass(frozen=True)
class Rollup:
    """Tokens, cost, latency and errors summed, in all and per model."""

    total: ModelRollup
    by_model: list[ModelRollup]


def rollup_of(rows: Sequence[dict[str, Any]]) -> Rollup:
    """A roll-up from per-model rows (``model_term, runs, nodes, tokens, cost, latency,
    errors``); models sorted, the unnamed one last."""
    parts = [
        ModelRollup(
            model=(str(r["model_term"])[len(MODEL_PREFIX) :] if r.get("model_term") else None),
            runs=int(r.get("runs") or 0),
            nodes=int(r.get("nodes") or 0),
            tokens=int(r.get("tokens") or 0),
            cost=float(r.get("cost") or 0.0),
            latency_ms=int(r.get("latency") or 0),
            errors=int(r.get("errors") or 0),
        )
        for r in rows
        if int(r.get("runs") or 0) or int(r.get("nodes") or 0)
    ]
    parts.sort(key=lambda m: (m.model is None, m.model or ""))
    total = ModelRollup(
        model=None,
        runs=sum(m.runs for m in parts),
        nodes=sum(m.nodes for m in parts),
        tokens=sum(m.tokens for m in parts),
        cost=sum(m.cost for m in parts),
        latency_ms=sum(m.latency_ms for m in parts),
        errors=sum(m.errors for m in parts),
    )
    return Rollup(total, parts)
