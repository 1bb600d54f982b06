"""The GraphQL documents of the forensic helpers, and each helper's request (``Question``)."""

from __future__ import annotations

from typing import Any, NamedTuple

NODE = "nodeId kind step runId text toolName error"

ANCESTORS = f"""query($id: String!, $depth: Int!) {{
  ancestors(nodeId: $id, depth: $depth) {{
    nodes {{ distance node {{ {NODE} }} }}
    edges {{ kind source target }}
    depthLimited truncated
  }}
}}"""

DESCENDANTS = ANCESTORS.replace("ancestors(", "descendants(")

LINEAGE = f"""query($from: String!, $to: String!, $maxDepth: Int) {{
  lineage(fromId: $from, toId: $to, maxDepth: $maxDepth) {{
    direction depthLimited truncated
    paths {{ length nodeIds edges {{ kind source target }} nodes {{ {NODE} }} }}
  }}
}}"""

RUN_DIFF = """query($run: String!, $other: String!) {
  runDiff(runId: $run, otherRunId: $other) {
    identical firstDivergentStep stepsCompared
    differences { class step kind nodeId otherNodeId content }
  }
}"""

VERIFY_RUN = """query($run: String!) {
  verifyRun(runId: $run) {
    ok nodesChecked edgesChecked rootDigestMatches
    mismatches { nodeId reason }
  }
}"""


class Question(NamedTuple):
    """A forensic helper's request: the document, its variables, and the answer's field."""

    document: str
    variables: dict[str, Any]
    field: str


def ancestors(node_id: str, depth: int) -> Question:
    return Question(ANCESTORS, {"id": node_id, "depth": depth}, "ancestors")


def descendants(node_id: str, depth: int) -> Question:
    return Question(DESCENDANTS, {"id": node_id, "depth": depth}, "descendants")


def lineage(from_id: str, to_id: str, max_depth: int | None) -> Question:
    return Question(LINEAGE, {"from": from_id, "to": to_id, "maxDepth": max_depth}, "lineage")


def run_diff(run_id: str, other_run_id: str) -> Question:
    return Question(RUN_DIFF, {"run": run_id, "other": other_run_id}, "runDiff")


def verify_run(run_id: str) -> Question:
    return Question(VERIFY_RUN, {"run": run_id}, "verifyRun")
