"""The GraphQL documents of the forensic helpers."""

from __future__ import annotations

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
