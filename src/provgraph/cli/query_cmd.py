"""``provgraph query``: forensic questions about agent runs, asked of a running server.

    provgraph query --run-id R [--step N]              a run's (or one step's) subgraph
    provgraph query --node-id X [--depth D] [--direction ancestors|descendants]
    provgraph query --run-id R --diff-run-id S         where two runs diverge
    provgraph query --run-id R --verify                recompute the run's hashes

``--format text`` (default) prints tables and trees for people; ``--format json`` prints the
GraphQL ``data`` object, stable for scripts. Exit codes: 0 answered, 1 the server refused
(error codes on stderr), 2 usage or connection problem.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TextIO

import httpx

DEFAULT_URL = "http://127.0.0.1:8000/graphql"

SUBGRAPH = """query($runId: String!, $step: Int) {
  runSubgraph(runId: $runId, step: $step) {
    run { runId agentId status startedAt endedAt nodeCount edgeCount rootDigest }
    step truncated
    nodes { nodeId kind step text json toolName arguments toolStatus error }
    edges { kind source target }
  }
}"""

TRAVERSAL = """query($nodeId: String!, $depth: Int) {
  %s(nodeId: $nodeId, depth: $depth) {
    origin { nodeId kind step text toolName }
    nodes { distance node { nodeId kind step runId text json toolName arguments } }
    edges { kind source target }
    depth requestedDepth depthClamped depthLimited truncated
  }
}"""

DIFF = """query($runId: String!, $otherRunId: String!) {
  runDiff(runId: $runId, otherRunId: $otherRunId) {
    run { runId } otherRun { runId }
    identical firstDivergentStep stepsCompared
    differences { class step kind nodeId otherNodeId content otherContent }
  }
}"""

VERIFY = """query($runId: String!) {
  verifyRun(runId: $runId) {
    run { runId } ok nodesChecked edgesChecked rootDigest recomputedRootDigest rootDigestMatches
    mismatches { nodeId storedHash recomputedHash reason }
  }
}"""


class UsageError(Exception):
    pass


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "query",
        help="forensic questions about agent runs (against a running server)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--run-id", help="a run: its subgraph, or one side of a diff")
    p.add_argument("--step", type=int, help="with --run-id: only this step (and its links)")
    p.add_argument("--diff-run-id", help="with --run-id: compare the two runs")
    p.add_argument("--verify", action="store_true", help="with --run-id: recompute its hashes")
    p.add_argument("--node-id", help="a node: its ancestors or descendants")
    p.add_argument("--depth", type=int, help="with --node-id: how far (server caps it)")
    p.add_argument(
        "--direction",
        choices=("ancestors", "descendants"),
        default="ancestors",
        help="with --node-id: causes (ancestors, default) or effects (descendants)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--url", default=os.environ.get("PROVGRAPH_URL", DEFAULT_URL))
    p.add_argument(
        "--api-key",
        default=os.environ.get("PROVGRAPH_API_KEY"),
        help="sent as Authorization: Bearer (default $PROVGRAPH_API_KEY)",
    )
    p.add_argument("--tenant", help="sent as X-Provgraph-Tenant (checked against the key)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds")
    p.set_defaults(run=run)


def plan(args: argparse.Namespace) -> tuple[str, str, dict[str, Any]]:
    """(field, document, variables) for the question the arguments ask."""
    if args.node_id:
        if args.run_id or args.diff_run_id or args.step is not None or args.verify:
            raise UsageError("--node-id goes with --depth/--direction only")
        field = args.direction
        variables: dict[str, Any] = {"nodeId": args.node_id}
        if args.depth is not None:  # absent: the field's own default (in the SDL)
            variables["depth"] = args.depth
        return field, TRAVERSAL % field, variables
    if not args.run_id:
        raise UsageError("give --run-id or --node-id")
    if args.depth is not None:
        raise UsageError("--depth goes with --node-id")
    if args.diff_run_id:
        if args.step is not None or args.verify:
            raise UsageError("--diff-run-id does not take --step or --verify")
        return "runDiff", DIFF, {"runId": args.run_id, "otherRunId": args.diff_run_id}
    if args.verify:
        return "verifyRun", VERIFY, {"runId": args.run_id}
    return "runSubgraph", SUBGRAPH, {"runId": args.run_id, "step": args.step}


def headers(args: argparse.Namespace) -> dict[str, str]:
    out = {"accept": "application/json"}
    if args.api_key:
        out["authorization"] = f"Bearer {args.api_key}"
    if args.tenant:
        out["x-provgraph-tenant"] = args.tenant
    return out


async def execute(
    args: argparse.Namespace, client: httpx.AsyncClient, out: TextIO, err: TextIO
) -> int:
    try:
        field, document, variables = plan(args)
    except UsageError as exc:
        print(f"provgraph query: {exc}", file=err)
        return 2
    try:
        response = await client.post(
            args.url,
            json={"query": document, "variables": variables},
            headers=headers(args),
            timeout=args.timeout,
        )
    except httpx.HTTPError as exc:
        print(f"provgraph query: cannot reach {args.url}: {exc}", file=err)
        return 2
    try:
        body = response.json()
    except ValueError:
        print(f"provgraph query: HTTP {response.status_code} from {args.url}", file=err)
        return 2
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        for e in errors:
            code = (e.get("extensions") or {}).get("code", "ERROR")
            print(f"provgraph query: {code}: {e.get('message')}", file=err)
        return 1
    data = body.get("data") or {}
    if args.format == "json":
        json.dump(data, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")
        return 0
    RENDER[field](data[field], out)
    return 0


def run(args: argparse.Namespace) -> int:
    async def main() -> int:
        async with httpx.AsyncClient() as client:
            return await execute(args, client, sys.stdout, sys.stderr)

    return asyncio.run(main())


# --- text rendering ------------------------------------------------------------------------


def _content(node: dict[str, Any], width: int = 60) -> str:
    if node.get("toolName"):
        text = f"{node['toolName']}({node.get('arguments') or ''})"
    else:
        text = node.get("text") or node.get("json") or node.get("error") or ""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(rows: list[list[str]], out: TextIO) -> None:
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")


def render_subgraph(sub: dict[str, Any], out: TextIO) -> None:
    run = sub["run"]
    scope = f"step {sub['step']}" if sub["step"] is not None else "all steps"
    out.write(
        f"run {run['runId']} ({(run.get('status') or 'no status').lower()}, agent "
        f"{run.get('agentId') or '-'}): {scope}, {len(sub['nodes'])} nodes, "
        f"{len(sub['edges'])} edges\n"
    )
    rows = [["STEP", "KIND", "ID", "CONTENT"]]
    for n in sorted(sub["nodes"], key=lambda n: (n["step"], n["nodeId"])):
        rows.append([str(n["step"]), n["kind"].lower(), n["nodeId"], _content(n)])
    _table(rows, out)
    if sub["edges"]:
        out.write("edges:\n")
        for e in sorted(sub["edges"], key=lambda e: (e["source"], e["kind"], e["target"])):
            out.write(f"  {e['source']} -{e['kind'].lower()}-> {e['target']}\n")
    if sub["truncated"]:
        out.write("(truncated: more matched than the server returns)\n")


def render_traversal(t: dict[str, Any], direction: str, out: TextIO) -> None:
    origin = t["origin"] or {}
    origin_id = origin.get("nodeId", "?")
    by_id = {n["node"]["nodeId"]: n for n in t["nodes"]}
    # Tree edges: from a node to its neighbours one hop further from the origin.
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    distance = {origin_id: 0, **{k: v["distance"] for k, v in by_id.items()}}
    for e in t["edges"]:
        for near, far in ((e["source"], e["target"]), (e["target"], e["source"])):
            if near in distance and far in distance and distance[far] == distance[near] + 1:
                children[near].append((e["kind"].lower(), far))
    label = f"{origin_id} [{str(origin.get('kind', '')).lower()}]"
    out.write(f"{label}: {len(by_id)} {direction} within depth {t['depth']}")
    if t["depthClamped"]:
        out.write(f" (requested {t['requestedDepth']}, clamped by the server)")
    if t.get("depthLimited"):
        out.write("; more lie beyond that depth (--depth to go further)")
    if t.get("truncated"):
        out.write("; cut at the server's node cap")
    out.write("\n")
    shown: set[str] = {origin_id}

    def walk(node_id: str, prefix: str) -> None:
        kids = sorted(set(children.get(node_id, [])), key=lambda k: (k[1], k[0]))
        for i, (kind, kid) in enumerate(kids):
            last = i == len(kids) - 1
            n = by_id[kid]["node"]
            seen = kid in shown
            line = f"{kid} [{n['kind'].lower()}, step {n['step']}] via {kind}"
            if not seen:
                content = _content(n, 50)
                line += f"  {content}" if content else ""
            out.write(f"{prefix}{'└─ ' if last else '├─ '}{line}{' (above)' if seen else ''}\n")
            if not seen:
                shown.add(kid)
                walk(kid, prefix + ("   " if last else "│  "))

    walk(origin_id, "")
    if t["truncated"]:
        out.write("(truncated: more nodes matched than the server returns)\n")


def render_diff(d: dict[str, Any], out: TextIO) -> None:
    a, b = d["run"]["runId"], d["otherRun"]["runId"]
    if d["identical"]:
        out.write(f"runs {a} and {b} agree on all {d['stepsCompared']} steps\n")
        return
    out.write(
        f"runs {a} vs {b}: {len(d['differences'])} differences over {d['stepsCompared']} steps; "
        f"first divergent step: {d['firstDivergentStep']}\n"
    )
    rows = [["STEP", "CLASS", a, b]]
    for x in d["differences"]:
        left = f"{x['nodeId'] or '-'}: {x['content'] or ''}".strip()
        right = f"{x['otherNodeId'] or '-'}: {x['otherContent'] or ''}".strip()
        rows.append([str(x["step"]), x["class"].lower(), left, right])
    _table(rows, out)


def render_verify(v: dict[str, Any], out: TextIO) -> None:
    status = "OK" if v["ok"] else "TAMPERED"
    out.write(
        f"run {v['run']['runId']}: {status} ({v['nodesChecked']} nodes, {v['edgesChecked']} "
        f"edges; root digest {'matches' if v['rootDigestMatches'] else 'DIFFERS'})\n"
    )
    for m in v["mismatches"]:
        out.write(f"  {m['nodeId']}: {m['reason']}\n")


RENDER: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "runSubgraph": render_subgraph,
    "ancestors": lambda t, out: render_traversal(t, "ancestors", out),
    "descendants": lambda t, out: render_traversal(t, "descendants", out),
    "runDiff": render_diff,
    "verifyRun": render_verify,
}
