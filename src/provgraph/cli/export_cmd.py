"""``provgraph export``: a run, a session or a traversal answer, from a running server.

    provgraph export --run-id R [-o FILE] [--format jsonl|prov-json|prov-n|prov-o]
    provgraph export --session-id S ...
    provgraph export --node-id X [--direction ancestors|descendants] [--depth D] ...

``jsonl`` (default) writes one ``recordRun`` input per line and run, the format ``provgraph
import`` reads back; the PROV formats are the server's ``provDocument``. Exit codes: 0 written,
1 the server refused (the error code on stderr), 2 usage or connection problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import httpx

from provgraph.cli.transfer import Server, ServerError, add_connection, batches_of
from provgraph.export.prov_rules import ProvFormat, from_prov, parse

DOCUMENT = """query($run: String, $session: String, $node: String, $dir: ExportDirection!,
      $depth: Int, $format: ProvFormat!) {
  provDocument(runId: $run, sessionId: $session, nodeId: $node, direction: $dir,
               depth: $depth, format: $format) { document runIds elementCount }
}"""

FORMATS = {"jsonl": None, "prov-json": "PROV_JSON", "prov-n": "PROV_N", "prov-o": "PROV_O"}


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
    p.add_argument("--direction", choices=("ancestors", "descendants"), default="ancestors")
    p.add_argument("--depth", type=int)
    p.add_argument("--format", choices=tuple(FORMATS), default="jsonl")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    add_connection(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    server = Server(args.url, args.key, args.timeout)
    wanted = FORMATS[args.format]
    variables = {
        "run": args.run_id,
        "session": args.session_id,
        "node": args.node_id,
        "dir": args.direction.upper(),
        "depth": args.depth,
        "format": wanted or "PROV_JSON",
    }
    try:
        answer = server.graphql(DOCUMENT, variables)["provDocument"]
    except ServerError as exc:
        print(f"provgraph export: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(f"provgraph export: cannot reach {args.url}: {exc}", file=sys.stderr)
        return 2
    finally:
        server.close()
    if wanted is None:
        graph = from_prov(parse(answer["document"], ProvFormat.PROV_JSON))
        text = "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in batches_of(graph))
    else:
        text = answer["document"]
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
