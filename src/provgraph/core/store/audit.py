"""The audit trail: every committed write transaction of a GraphQL mutation appends one event
to its tenant's hash chain, in that same transaction (``Executor.write_tx``).

The mutation's scope (who: key id and tenant; what: the root field, the ids it names, a digest
of its arguments; the request's correlation id) is set by ``CanWrite`` (``core/api``) for the
duration of the mutation's resolver. Services may add before/after pairs with ``note_change``.

Each event stores ``seq`` (1, 2, ... per tenant), ``prev_hash`` (the previous event's ``hash``,
``GENESIS`` for the first) and ``hash`` = sha256 of the RFC 8785 canonical JSON of its hashed
fields (``HASHED_FIELDS``). The tenant's chain head (``:AuditHead``) is written first in the
appending transaction, so appends of one tenant serialise and the chain has no forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from provgraph.core.domain.canonical import canonical_json, sha256_hex

GENESIS = "0" * 64
HEAD_ID = "audit-head"
# The fields an event's hash covers, in the order the NDJSON export writes them.
HASHED_FIELDS = (
    "tenant",
    "seq",
    "id",
    "at",
    "key_id",
    "action",
    "operation",
    "query",
    "correlation_id",
    "target_ids",
    "args_digest",
    "changes",
    "prev_hash",
)
MAX_TARGET_IDS = 20
_ID_KEYS = frozenset({"id", "source", "target", "environment"})


@dataclass
class AuditScope:
    """One mutation field being resolved: what its write transactions record."""

    key_id: str | None
    action: str
    operation: str | None
    correlation_id: str
    target_ids: list[str]
    args_digest: str
    changes: list[dict[str, Any]] = field(default_factory=list)


current_scope: ContextVar[AuditScope | None] = ContextVar("provgraph_audit", default=None)


def target_ids(args: Mapping[str, Any]) -> list[str]:
    """The ids a mutation's arguments name: ``id``, ``*Id``, ``*Ids``, ``source``, ``target``
    and ``environment``, at the top level and inside input objects (not inside lists of
    objects: a batch's nodes are covered by the digest)."""
    found: list[str] = []

    def walk(value: Mapping[str, Any], depth: int) -> None:
        for key, item in value.items():
            if isinstance(item, Mapping):
                if depth < 3:
                    walk(item, depth + 1)
                continue
            if key in _ID_KEYS or key.endswith("Id"):
                if isinstance(item, str):
                    found.append(item)
            elif key.endswith("Ids") and isinstance(item, list):
                found.extend(i for i in item if isinstance(i, str))

    walk(args, 0)
    return list(dict.fromkeys(found))[:MAX_TARGET_IDS]


def args_digest(args: Mapping[str, Any]) -> str:
    """sha256 of the arguments as sorted-key JSON (C-fast; a recordRun batch can be large)."""
    text = json.dumps(args, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextmanager
def scope(
    *,
    key_id: str | None,
    action: str,
    operation: str | None,
    correlation_id: str,
    args: Mapping[str, Any],
) -> Iterator[AuditScope]:
    found = AuditScope(
        key_id=key_id,
        action=action,
        operation=operation,
        correlation_id=correlation_id,
        target_ids=target_ids(args),
        args_digest=args_digest(args),
    )
    token = current_scope.set(found)
    try:
        yield found
    finally:
        current_scope.reset(token)


def note_change(target_id: str, before: Any, after: Any) -> None:
    """Record what a write changed (JSON-able values) in the current mutation's audit event."""
    found = current_scope.get()
    if found is not None:
        found.changes.append({"target": target_id, "before": before, "after": after})


def event_hash(event: Mapping[str, Any]) -> str:
    return sha256_hex(canonical_json({f: event.get(f) for f in HASHED_FIELDS}))


def build_event(
    found: AuditScope,
    *,
    tenant: str,
    event_id: str,
    seq: int,
    prev_hash: str,
    at: int,
    query: str,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "tenant": tenant,
        "seq": seq,
        "id": event_id,
        "at": at,
        "key_id": found.key_id,
        "action": found.action,
        "operation": found.operation,
        "query": query,
        "correlation_id": found.correlation_id,
        "target_ids": list(found.target_ids),
        "args_digest": found.args_digest,
        "changes": canonical_json(found.changes) if found.changes else None,
        "prev_hash": prev_hash,
    }
    event["hash"] = event_hash(event)
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    id: str
    reason: str


def verify_chain(events: Sequence[Mapping[str, Any]]) -> ChainBreak | None:
    """The first event (in ``seq`` order) whose hash or link does not hold, or None."""
    prev = GENESIS
    expected_seq = 1
    for event in events:
        seq = int(event.get("seq") or 0)
        ident = str(event.get("id"))
        if seq != expected_seq:
            return ChainBreak(seq, ident, f"sequence gap: expected {expected_seq}, got {seq}")
        if event.get("prev_hash") != prev:
            return ChainBreak(seq, ident, "prev_hash does not match the previous event's hash")
        if event_hash(event) != event.get("hash"):
            return ChainBreak(seq, ident, "hash does not match the event's content")
        prev = str(event["hash"])
        expected_seq += 1
    return None
