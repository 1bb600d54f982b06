"""Compare two runs step by step and, within a step, kind by kind.

Within a (step, kind) both sides' nodes are paired in recorded order (created_at, id); a pair
differs when its content (text, json, tool name/arguments/status/error) differs; an unpaired node
is a difference with one side empty. A step only one run has is ``missing_step`` (in the other
run) or ``extra_step`` (only in the other run).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from provgraph.runs.records import NodeRecord, RunRecord
from provgraph.runs.rules import canonical, sha256, short


class DiffClass(StrEnum):
    DIFFERENT_DECISION = "different_decision"
    DIFFERENT_TOOL_CALL = "different_tool_call"
    DIFFERENT_TOOL_RESULT = "different_tool_result"
    DIFFERENT_MEMORY = "different_memory"
    DIFFERENT_OBSERVATION = "different_observation"
    DIFFERENT_INPUT = "different_input"
    DIFFERENT_OUTPUT = "different_output"
    MISSING_STEP = "missing_step"
    EXTRA_STEP = "extra_step"


KIND_CLASS: dict[str, DiffClass] = {
    "decision": DiffClass.DIFFERENT_DECISION,
    "tool_call": DiffClass.DIFFERENT_TOOL_CALL,
    "tool_result": DiffClass.DIFFERENT_TOOL_RESULT,
    "memory_fact": DiffClass.DIFFERENT_MEMORY,
    "observation": DiffClass.DIFFERENT_OBSERVATION,
    "input": DiffClass.DIFFERENT_INPUT,
    "output": DiffClass.DIFFERENT_OUTPUT,
}


@dataclass(frozen=True)
class Difference:
    cls: DiffClass
    step: int
    kind: str | None
    node_id: str | None
    other_node_id: str | None
    content: str | None
    other_content: str | None


@dataclass(frozen=True)
class RunDiff:
    run: RunRecord
    other_run: RunRecord
    differences: list[Difference]
    steps_compared: int

    @property
    def identical(self) -> bool:
        return not self.differences

    @property
    def first_divergent_step(self) -> int | None:
        return min((d.step for d in self.differences), default=None)


def fingerprint(node: NodeRecord) -> str:
    """What a node says, without ids, run or timing: two runs agree when these agree."""
    return sha256(
        canonical(
            [
                node.kind,
                node.text,
                node.json_text,
                node.tool_name,
                node.arguments,
                node.tool_status,
                node.error,
            ]
        )
    )


def summary(node: NodeRecord | None) -> str | None:
    if node is None:
        return None
    if node.tool_name is not None:
        return short(
            f"{node.tool_name}({node.arguments or ''})" + (f" -> {node.text}" if node.text else "")
        )
    for value in (node.text, node.json_text, node.error):
        if value is not None:
            return short(value)
    return None


def _by_step(nodes: list[NodeRecord]) -> dict[int, dict[str, list[NodeRecord]]]:
    out: dict[int, dict[str, list[NodeRecord]]] = defaultdict(lambda: defaultdict(list))
    for n in nodes:
        out[n.step][n.kind].append(n)
    for kinds in out.values():
        for group in kinds.values():
            group.sort(key=lambda n: (n.created_at or 0, n.id))
    return out


def diff_runs(
    run: RunRecord, other: RunRecord, nodes: list[NodeRecord], other_nodes: list[NodeRecord]
) -> RunDiff:
    mine, theirs = _by_step(nodes), _by_step(other_nodes)
    differences: list[Difference] = []
    for step in sorted(set(mine) | set(theirs)):
        if step not in theirs:
            first = _first(mine[step])
            differences.append(
                Difference(DiffClass.MISSING_STEP, step, None, first.id, None, summary(first), None)
            )
            continue
        if step not in mine:
            first = _first(theirs[step])
            differences.append(
                Difference(DiffClass.EXTRA_STEP, step, None, None, first.id, None, summary(first))
            )
            continue
        for kind in sorted(set(mine[step]) | set(theirs[step])):
            a, b = mine[step].get(kind, []), theirs[step].get(kind, [])
            for i in range(max(len(a), len(b))):
                left = a[i] if i < len(a) else None
                right = b[i] if i < len(b) else None
                if (
                    left is not None
                    and right is not None
                    and fingerprint(left) == fingerprint(right)
                ):
                    continue
                differences.append(
                    Difference(
                        KIND_CLASS.get(kind, DiffClass.DIFFERENT_DECISION),
                        step,
                        kind,
                        left.id if left else None,
                        right.id if right else None,
                        summary(left),
                        summary(right),
                    )
                )
    return RunDiff(run, other, differences, len(set(mine) | set(theirs)))


def _first(kinds: dict[str, list[NodeRecord]]) -> NodeRecord:
    return min(
        (n for group in kinds.values() for n in group), key=lambda n: (n.created_at or 0, n.id)
    )
