"""``provgraph import FILE…``: recordRun JSONL, OTLP JSON or PROV-JSON into a running server.

    provgraph import runs.jsonl traces.json doc.prov.json [--on-error stop|skip]

Each file's format comes from its content: one JSON object per line with a ``run`` is recordRun
JSONL; a JSON document with ``resourceSpans`` is OTLP JSON (sent to ``/v1/traces``), and so is
each line of a file of them (``provgraph export --format otlp-json``); a JSON
document with PROV-JSON's ``prefix``/``entity``/``activity`` keys is PROV-JSON (as written by
``provDocument``/``provgraph export``). Batches are cut to ``--batch-elements`` and half the
server's body limit. Importing is idempotent: ids come from the files, so sending a file again
(after an interruption, say) records only what is missing and changes nothing else — there is
no checkpoint file; re-run the same command. Errors name ``file:line`` (JSONL) or the file;
``--on-error skip`` goes on with the next line, ``stop`` (default) stops there. Exit codes: 0
all imported, 1 some lines or files were refused (summary on stderr), 2 usage or connection.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from provgraph.cli.transfer import (
    DEFAULT_BATCH_ELEMENTS,
    DEFAULT_MAX_BODY,
    Server,
    ServerError,
    add_connection,
    batches_of,
    elements,
    progress,
    split,
)
from provgraph.core.domain.errors import BadUserInput
from provgraph.export.prov_rules import ProvFormat, from_prov, parse

RECORD = """mutation($input: RecordRunInput!) {
  recordRun(input: $input) { nodesCreated edgesCreated changed }
}"""


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="import recordRun JSONL, OTLP JSON or PROV-JSON files",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--on-error", choices=("stop", "skip"), default="stop")
    p.add_argument(
        "--batch-elements",
        type=int,
        default=DEFAULT_BATCH_ELEMENTS,
        help=f"most elements per recordRun (default {DEFAULT_BATCH_ELEMENTS})",
    )
    p.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        help="the server's PROVGRAPH_MAX_BODY_BYTES (batches stay under half of it)",
    )
    add_connection(p)
    p.set_defaults(run=run)


@dataclass
class Summary:
    sent: int = 0
    created: int = 0
    unchanged_batches: int = 0
    errors: list[str] = field(default_factory=list)


class Stop(Exception):
    pass


@dataclass
class Work:
    """One unit to send: where it comes from, and the recordRun input or OTLP body."""

    where: str
    batch: dict[str, Any] | None = None
    otlp: bytes | None = None

    @property
    def size(self) -> int:
        return elements(self.batch) if self.batch is not None else 1


def _read(path: Path, summary: Summary, on_error: str) -> list[Work]:
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            whole = json.loads(text)
        except ValueError:
            whole = None  # JSONL: one object per line
        if isinstance(whole, dict):
            if "resourceSpans" in whole:
                return [Work(str(path), otlp=text.encode("utf-8"))]
            if "run" not in whole:
                try:
                    graph = from_prov(parse(text, ProvFormat.PROV_JSON))
                except BadUserInput as exc:
                    _fail(summary, f"{path}: {exc.message}", on_error)
                    return []
                return [Work(f"{path} run {b['run']['id']}", b) for b in batches_of(graph)]
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            batch = json.loads(line)
            if isinstance(batch, dict) and "resourceSpans" in batch:
                # OTLP JSON lines (provgraph export --format otlp-json, the OTel file exporter).
                out.append(Work(f"{path}:{number}", otlp=line.encode("utf-8")))
                continue
            if not isinstance(batch, dict) or not isinstance(batch.get("run"), dict):
                raise ValueError("not a recordRun input (an object with a run)")
        except ValueError as exc:
            _fail(summary, f"{path}:{number}: {exc}", on_error)
            continue
        out.append(Work(f"{path}:{number}", batch))
    return out


def _fail(summary: Summary, message: str, on_error: str) -> None:
    summary.errors.append(message)
    print(f"provgraph import: {message}", file=sys.stderr)
    if on_error == "stop":
        raise Stop


def run(args: argparse.Namespace) -> int:
    summary = Summary()
    server = Server(args.url, args.key, args.timeout)
    try:
        work: list[Work] = []
        for name in args.files:
            path = Path(name)
            if not path.is_file():
                print(f"provgraph import: no file {name}", file=sys.stderr)
                return 2
            work.extend(_read(path, summary, args.on_error))
        total = sum(w.size for w in work)
        with progress(args.no_progress) as bar:
            task = bar.add_task("importing", total=total)
            for item in work:
                _send(server, item, args, summary)
                bar.advance(task, item.size)
    except Stop:
        pass
    except httpx.HTTPError as exc:
        print(f"provgraph import: cannot reach {args.url}: {exc}", file=sys.stderr)
        return 2
    finally:
        server.close()
    print(
        f"imported {summary.sent} elements ({summary.created} new nodes and edges, "
        f"{summary.unchanged_batches} batches already there); {len(summary.errors)} errors",
        file=sys.stderr,
    )
    return 1 if summary.errors else 0


def _send(server: Server, item: Work, args: argparse.Namespace, summary: Summary) -> None:
    if item.otlp is not None:
        try:
            answer = server.post("/v1/traces", item.otlp, "application/json")
        except ServerError as exc:
            _fail(summary, f"{item.where}: {exc}", args.on_error)
            return
        partial = answer.get("partialSuccess") or {}
        if partial.get("rejectedSpans"):
            _fail(
                summary,
                f"{item.where}: {partial['rejectedSpans']} spans rejected: "
                f"{partial.get('errorMessage', '')}",
                args.on_error,
            )
        summary.sent += 1
        return
    assert item.batch is not None
    for piece in split(item.batch, args.batch_elements, args.max_body):
        try:
            got = server.graphql(RECORD, {"input": piece})["recordRun"]
        except ServerError as exc:
            _fail(summary, f"{item.where}: {exc}", args.on_error)
            return
        summary.sent += elements(piece)
        summary.created += got["nodesCreated"] + got["edgesCreated"]
        summary.unchanged_batches += 0 if got["changed"] else 1
