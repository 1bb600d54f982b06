"""``provgraph query``: forensic questions about agent runs, asked of a running server.

    provgraph query --run-id R [--step N]              a run's (or one step's) subgraph
    provgraph query --node-id X [--depth D] [--direction ancestors|descendants]
    provgraph query --run-id R --diff-run-id S         where two runs diverge
    provgraph query --run-id R --verify                recompute the run's hashes
    provgraph query --list [--agent A] [--status failed] [--started-after T] [--tool X]
                    [--label L] [--has-error] [--session S] [--first N]   runs, newest first
    provgraph query --search TEXT [--run-id R | --session S]   ranked hits
    provgraph query --session S                        a session's runs in order, its roll-up
    provgraph query --prune T [--no-dry-run]           retention: runs started before T

``--format text`` (default) prints tables and trees for people; ``--format json`` prints the
GraphQL ``data`` object, stable for scripts. Exit codes: 0 answered, 1 the server refused
(error codes on stderr), 2 usage or connection problem.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TextIO

import httpx

from provgraph.cli.server_args import add_server_args, headers

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

RUNS = """query($filter: RunFilterInput, $first: Int) {
  runs(filter: $filter, first: $first) {
    totalCount
    edges { node { runId agentId status startedAt endedAt sessionId nodeCount errorCount
                   toolNames labels } }
  }
}"""

SEARCH = """query($text: String!, $runId: String, $sessionId: String, $first: Int) {
  search(text: $text, runId: $runId, sessionId: $sessionId, first: $first) {
    totalCount
    edges { node { kind nodeId runId score snippet } }
  }
}"""

SESSION = """query($id: String!, $first: Int) {
  session(id: $id) {
    sessionId runCount startedAt endedAt agentIds failedRuns errorCount
    rollup { total { tokens cost latencyMs } }
    runs(first: $first) { edges { node { runId agentId status startedAt nodeCount errorCount } } }
  }
}"""

PRUNE = """mutation($olderThan: String!, $dryRun: Boolean!) {
  pruneRuns(olderThan: $olderThan, dryRun: $dryRun) { cutoff dryRun runs runIds nodes edges }
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
    p.add_argument(
        "--depth",
        type=int,
        help="with --node-id: how far (default: the server's, 3; the server caps it)",
    )
    p.add_argument(
        "--direction",
        choices=("ancestors", "descendants"),
        default="ancestors",
        help="with --node-id: causes (ancestors, default) or effects (descendants)",
    )
    p.add_argument("--list", action="store_true", help="list runs, newest first (filters below)")
    p.add_argument("--agent", help="with --list: runs of this agent id")
    p.add_argument(
        "--status",
        action="append",
        choices=("running", "succeeded", "failed", "cancelled"),
        help="with --list: runs in this state (repeat for several)",
    )
    p.add_argument("--started-after", help="with --list: ISO-8601, inclusive")
    p.add_argument("--started-before", help="with --list: ISO-8601, exclusive")
    p.add_argument("--label", help="with --list: runs with this label")
    p.add_argument("--tool", help="with --list: runs that used this tool")
    p.add_argument(
        "--has-error",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="with --list: runs with (or, --no-has-error, without) errors",
    )
    p.add_argument("--search", metavar="TEXT", help="search node text, tools, run metadata")
    p.add_argument(
        "--session",
        metavar="ID",
        help="a session: its runs in order (with --list or --search: only its runs)",
    )
    p.add_argument(
        "--first",
        type=int,
        default=20,
        help="with --list/--search/--session: how many (default %(default)s)",
    )
    p.add_argument(
        "--prune",
        metavar="OLDER_THAN",
        help="retention: the runs that started before this ISO-8601 time (a dry run unless "
        "--no-dry-run)",
    )
    p.add_argument(
        "--dry-run",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="with --prune: only count (default); --no-dry-run deletes",
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="(default %(default)s)"
    )
    add_server_args(p)
    p.set_defaults(run=run)


def plan(args: argparse.Namespace) -> tuple[str, str, dict[str, Any]]:
    """(field, document, variables) for the question the arguments ask."""
    finders = [x for x in (args.list, args.search, args.prune) if x]
    if len(finders) > 1:
        raise UsageError("give one of --list, --search, --prune")
    if args.prune:
        if args.run_id or args.node_id or args.session:
            raise UsageError("--prune goes with --dry-run/--no-dry-run only")
        return "pruneRuns", PRUNE, {"olderThan": args.prune, "dryRun": args.dry_run}
    if args.list:
        if args.node_id or args.run_id:
            raise UsageError("--list goes with the run filters only")
        f: dict[str, Any] = {
            "agentId": args.agent,
            "status": [s.upper() for s in args.status] if args.status else None,
            "startedAfter": args.started_after,
            "startedBefore": args.started_before,
            "label": args.label,
            "toolName": args.tool,
            "hasError": args.has_error,
            "sessionId": args.session,
        }
        return (
            "runs",
            RUNS,
            {"filter": {k: v for k, v in f.items() if v is not None}, "first": args.first},
        )
    if args.search:
        if args.node_id:
            raise UsageError("--search goes with --run-id/--session only")
        return (
            "search",
            SEARCH,
            {
                "text": args.search,
                "runId": args.run_id,
                "sessionId": args.session,
                "first": args.first,
            },
        )
    if args.session:
        if args.node_id or args.run_id:
            raise UsageError("--session alone shows the session; add --list or --search")
        return "session", SESSION, {"id": args.session, "first": args.first}
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


RUN_COLUMNS = ("RUN", "AGENT", "STATUS", "STARTED", "NODES", "ERRORS")


def _run_row(r: dict[str, Any]) -> list[str]:
    """A run's cells under ``RUN_COLUMNS`` (runs listed, a session's runs)."""
    return [
        r["runId"],
        r.get("agentId") or "-",
        (r.get("status") or "-").lower(),
        r.get("startedAt") or "-",
        str(r["nodeCount"]),
        str(r["errorCount"]),
    ]


def render_runs(runs: dict[str, Any], out: TextIO) -> None:
    shown = len(runs["edges"])
    out.write(f"{runs['totalCount']} runs match; the {shown} newest:\n")
    rows = [[*RUN_COLUMNS, "TOOLS", "LABELS"]]
    for e in runs["edges"]:
        r = e["node"]
        rows.append([*_run_row(r), ",".join(r["toolNames"]) or "-", ",".join(r["labels"]) or "-"])
    _table(rows, out)


def render_search(found: dict[str, Any], out: TextIO) -> None:
    out.write(f"{found['totalCount']} hits; the {len(found['edges'])} best:\n")
    rows = [["SCORE", "KIND", "ID", "RUN", "SNIPPET"]]
    for e in found["edges"]:
        h = e["node"]
        snippet = " ".join(str(h.get("snippet") or "").split())
        rows.append([str(h["score"]), h["kind"].lower(), h["nodeId"], h["runId"], snippet[:70]])
    _table(rows, out)


def render_session(session: dict[str, Any] | None, out: TextIO) -> None:
    if session is None:
        out.write("no such session\n")
        return
    total = session["rollup"]["total"]
    out.write(
        f"session {session['sessionId']}: {session['runCount']} runs from "
        f"{session.get('startedAt') or '-'} to {session.get('endedAt') or '-'}, agents "
        f"{', '.join(session['agentIds']) or '-'}; {session['failedRuns']} failed, "
        f"{session['errorCount']} errors; {total['tokens']} tokens, cost {total['cost']:g}, "
        f"{total['latencyMs']} ms\n"
    )
    rows = [list(RUN_COLUMNS)]
    rows += [_run_row(e["node"]) for e in session["runs"]["edges"]]
    _table(rows, out)


def render_prune(p: dict[str, Any], out: TextIO) -> None:
    verb = "would delete" if p["dryRun"] else "deleted"
    out.write(
        f"runs started before {p['cutoff']}: {verb} {p['runs']} runs, {p['nodes']} nodes, "
        f"{p['edges']} edges" + (" (dry run: --no-dry-run deletes)" if p["dryRun"] else "") + "\n"
    )
    for run_id in p["runIds"]:
        out.write(f"  {run_id}\n")


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
    "runs": render_runs,
    "search": render_search,
    "session": render_session,
    "pruneRuns": render_prune,
}
