"""``provgraph export``: a run, a session or a traversal answer, from a running server.

    provgraph export --run-id R [-o FILE] [--format jsonl|prov-json|prov-n|prov-o]
    provgraph export --session-id S ...
    provgraph export --node-id X [--direction ancestors|descendants] [--depth D] ...
    provgraph export --all [-o FILE | -o DIR for PROV formats] [--format ...]

``jsonl`` (default) writes one ``recordRun`` input per line and run, the format ``provgraph
import`` reads back; the PROV formats are the server's ``provDocument``; ``otlp-json`` is its
``otlpDocument``, one OTLP/JSON ``ExportTraceServiceRequest`` per line (as the OpenTelemetry
Collector's file exporter writes them: ``provgraph import`` and any OTLP receiver take them).
``--all`` exports the whole tenant: it lists every run (``runs``, oldest first, in pages), then
exports them one by one with a progress bar (elements/s, ETA); JSONL and OTLP JSON go to one
file, one line per run; PROV formats need ``-o DIR`` and write one file per run. Exit codes: 0
written, 1 the server refused (the error code on stderr), 2 usage or connection problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from provgraph.cli.transfer import Server, ServerError, add_connection, batches_of, progress
from provgraph.export.prov_rules import ProvFormat, from_prov, parse

DOCUMENT = """query($run: String, $session: String, $node: String, $dir: ExportDirection!,
      $depth: Int, $format: ProvFormat!) {
  provDocument(runId: $run, sessionId: $session, nodeId: $node, direction: $dir,
               depth: $depth, format: $format) { document runIds elementCount }
}"""

OTLP_DOCUMENT = """query($run: String, $session: String, $node: String, $dir: ExportDirection!,
      $depth: Int) {
  otlpDocument(runId: $run, sessionId: $session, nodeId: $node, direction: $dir,
               depth: $depth) { document runIds elementCount }
}"""

LIST_RUNS = """query($first: Int!, $after: String) {
  runs(orderBy: STARTED_AT_ASC, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { runId nodeCount edgeCount } }
  }
}"""

FORMATS = {
    "jsonl": None,
    "prov-json": "PROV_JSON",
    "prov-n": "PROV_N",
    "prov-o": "PROV_O",
    "otlp-json": "OTLP_JSON",
}
SUFFIXES = {"prov-json": ".prov.json", "prov-n": ".provn", "prov-o": ".ttl"}
# Runs listed per page by --all.
PAGE = 200


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="export a run, a session or a traversal (recordRun JSONL or PROV)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--run-id")
    scope.add_argument("--session-id")
    scope.add_argument("--node-id", help="export the node's ancestors (or descendants)")
    scope.add_argument("--all", action="store_true", help="every run of the key's tenant")
    p.add_argument(
        "--direction",
        choices=("ancestors", "descendants"),
        default="ancestors",
        help="with --node-id: causes or effects (default %(default)s)",
    )
    p.add_argument("--depth", type=int, help="with --node-id: how far (default: the server's, 3)")
    p.add_argument(
        "--format", choices=tuple(FORMATS), default="jsonl", help="(default %(default)s)"
    )
    p.add_argument(
        "--page-size", type=int, default=PAGE, help=f"runs listed per request (default {PAGE})"
    )
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    add_connection(p)
    p.set_defaults(run=run)


def _fetch(server: Server, args: argparse.Namespace, run_id: str | None) -> dict[str, Any]:
    """One document (``provDocument`` or ``otlpDocument``) as the format wants it: ``text``
    (the lines or document to write), ``runIds``, ``elementCount``."""
    wanted = FORMATS[args.format]
    variables: dict[str, Any] = {
        "run": run_id if args.all else args.run_id,
        "session": None if args.all else args.session_id,
        "node": None if args.all else args.node_id,
        "dir": args.direction.upper(),
        "depth": args.depth,
    }
    if wanted == "OTLP_JSON":
        answer: dict[str, Any] = server.graphql(OTLP_DOCUMENT, variables)["otlpDocument"]
        answer["text"] = answer["document"] + "\n"
        return answer
    variables["format"] = wanted or "PROV_JSON"
    answer = server.graphql(DOCUMENT, variables)["provDocument"]
    if wanted is None:
        graph = from_prov(parse(answer["document"], ProvFormat.PROV_JSON))
        answer["text"] = "".join(
            json.dumps(b, ensure_ascii=False) + "\n" for b in batches_of(graph)
        )
    else:
        answer["text"] = answer["document"]
    return answer


def run(args: argparse.Namespace) -> int:
    if args.all and args.format in SUFFIXES and not args.output:
        print("provgraph export: --all with a PROV format needs -o DIR", file=sys.stderr)
        return 2
    server = Server(args.url, args.key, args.timeout)
    try:
        if args.all:
            return _export_all(server, args)
        answer = _fetch(server, args, None)
    except ServerError as exc:
        print(f"provgraph export: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(f"provgraph export: cannot reach {args.url}: {exc}", file=sys.stderr)
        return 2
    finally:
        server.close()
    text = answer["text"]
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    print(
        f"exported {len(answer['runIds'])} runs, {answer['elementCount']} elements",
        file=sys.stderr,
    )
    return 0


def list_runs(server: Server, page_size: int = PAGE) -> list[tuple[str, int]]:
    """Every run of the tenant (oldest first) and its element count, paging through runs."""
    found: list[tuple[str, int]] = []
    after: str | None = None
    while True:
        page = server.graphql(LIST_RUNS, {"first": page_size, "after": after})["runs"]
        for edge in page["edges"]:
            node = edge["node"]
            found.append((node["runId"], 1 + node["nodeCount"] + node["edgeCount"]))
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def _export_all(server: Server, args: argparse.Namespace) -> int:
    runs = list_runs(server, args.page_size)
    per_run = args.format in SUFFIXES
    directory = Path(args.output) if per_run else None
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    out = (
        open(args.output, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        if args.output and not per_run
        else None
    )
    elements = 0
    try:
        with progress(args.no_progress) as bar:
            task = bar.add_task("exporting", total=sum(size for _, size in runs))
            for run_id, size in runs:
                answer = _fetch(server, args, run_id)
                if directory is not None:
                    name = quote(run_id, safe="") + SUFFIXES[args.format]
                    (directory / name).write_text(answer["text"], encoding="utf-8")
                elif out is not None:
                    out.write(answer["text"])
                else:
                    sys.stdout.write(answer["text"])
                elements += answer["elementCount"]
                bar.advance(task, size)
    finally:
        if out is not None:
            out.close()
    print(f"exported {len(runs)} runs, {elements} elements", file=sys.stderr)
    return 0
