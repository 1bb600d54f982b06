"""``provgraph import FILE…``: recordRun JSONL, OTLP JSON or PROV-JSON into a running server.

    provgraph import runs.jsonl traces.json doc.prov.json [--on-error stop|skip]

Each file's format comes from its content: one JSON object per line with a ``run`` is recordRun
JSONL; a JSON document with ``resourceSpans`` is OTLP JSON (sent to ``/v1/traces``), and so is
each line of a file of them (``provgraph export --format otlp-json``); a JSON
document with PROV-JSON's ``prefix``/``entity``/``activity`` keys is PROV-JSON (as written by
``provDocument``/``provgraph export``). Runs (JSONL lines, PROV-JSON's runs) go in
``recordRuns`` requests: consecutive runs together, one transaction each, up to
``--batch-elements`` elements (runs, nodes and edges), half the server's body limit
(``--max-body``) and 1,000 runs a request; a run larger than that is cut into pieces, sent in
order. Importing is idempotent: ids come from the files, so sending a file again (after an
interruption, say) records only what is missing and changes nothing else — there is no
checkpoint file; re-run the same command. Errors name ``file:line`` (JSONL) or the file: a
request the server refuses wrote nothing (all or nothing), and its runs are sent again one by
one (``recordRun``), so exactly the refused ones are named and the others imported;
``--on-error skip`` goes on with the next line, ``stop`` (default) stops there. Exit codes: 0
all imported, 1 some lines or files were refused (summary on stderr), 2 usage or connection.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
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
    grouped,
    progress,
    split,
)
from provgraph.core.domain.errors import BadUserInput
from provgraph.export.prov_rules import ProvFormat, from_prov, parse

RECORD = """mutation ImportRun($input: RecordRunInput!) {
  recordRun(input: $input) { nodesCreated edgesCreated changed }
}"""
RECORD_MANY = """mutation ImportRuns($input: [RecordRunInput!]!) {
  recordRuns(input: $input) { nodesCreated edgesCreated changed }
}"""


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="import recordRun JSONL, OTLP JSON or PROV-JSON files",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "--on-error",
        choices=("stop", "skip"),
        default="stop",
        help="at a refused line or file: stop there, or skip it and go on (default %(default)s)",
    )
    p.add_argument(
        "--batch-elements",
        type=int,
        default=DEFAULT_BATCH_ELEMENTS,
        help="most elements (runs, nodes, edges) per request: consecutive runs go together "
        f"in one recordRuns, a larger run in pieces (default {DEFAULT_BATCH_ELEMENTS})",
    )
    p.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        help="the server's PROVGRAPH_MAX_BODY_BYTES (requests stay under half of it; "
        "default %(default)d)",
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


@dataclass(eq=False)
class Work:
    """One unit to send: where it comes from, and the recordRun input or OTLP body (compared
    and hashed by identity: a line is itself)."""

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
            sender = _Sender(server, args, summary)
            for is_otlp, items in groupby(work, key=lambda w: w.otlp is not None):
                if is_otlp:
                    for item in items:
                        sender.otlp(item)
                        bar.advance(task, item.size)
                    continue
                for group in grouped(_pieces(items, args), args.batch_elements, args.max_body):
                    sender.runs(group)
                    for piece, _ in group:
                        if piece.last:
                            bar.advance(task, piece.item.size)
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


@dataclass(frozen=True)
class Piece:
    """Where a recordRun input comes from: its item (a line, a PROV-JSON run), and whether it
    is the item's last piece (the progress bar counts an item when its last piece is sent)."""

    item: Work
    last: bool


def _pieces(
    items: Iterator[Work], args: argparse.Namespace
) -> Iterator[tuple[Piece, dict[str, Any]]]:
    for item in items:
        assert item.batch is not None
        pieces = list(split(item.batch, args.batch_elements, args.max_body))
        for n, piece in enumerate(pieces, start=1):
            yield Piece(item, n == len(pieces)), piece


class _Sender:
    def __init__(self, server: Server, args: argparse.Namespace, summary: Summary) -> None:
        self.server = server
        self.on_error: str = args.on_error
        self.summary = summary
        # Items with a refused piece: their later pieces are not sent (as before grouping).
        self.failed: set[Work] = set()

    def otlp(self, item: Work) -> None:
        assert item.otlp is not None
        try:
            answer = self.server.post("/v1/traces", item.otlp, "application/json")
        except ServerError as exc:
            _fail(self.summary, f"{item.where}: {exc}", self.on_error)
            return
        partial = answer.get("partialSuccess") or {}
        if partial.get("rejectedSpans"):
            _fail(
                self.summary,
                f"{item.where}: {partial['rejectedSpans']} spans rejected: "
                f"{partial.get('errorMessage', '')}",
                self.on_error,
            )
        self.summary.sent += 1

    def runs(self, group: list[tuple[Piece, dict[str, Any]]]) -> None:
        """One recordRuns request for the group; if the server refuses it (nothing of it was
        written), its pieces one by one, so that the refused ones are named."""
        group = [(p, batch) for p, batch in group if p.item not in self.failed]
        if len(group) > 1:
            try:
                got = self.server.graphql(RECORD_MANY, {"input": [b for _, b in group]})
            except ServerError:
                pass
            else:
                for (_, batch), payload in zip(group, got["recordRuns"], strict=True):
                    self._count(batch, payload)
                return
        for piece, batch in group:
            if piece.item in self.failed:
                continue
            try:
                payload = self.server.graphql(RECORD, {"input": batch})["recordRun"]
            except ServerError as exc:
                self.failed.add(piece.item)
                _fail(self.summary, f"{piece.item.where}: {exc}", self.on_error)
                continue
            self._count(batch, payload)

    def _count(self, batch: dict[str, Any], payload: dict[str, Any]) -> None:
        self.summary.sent += elements(batch)
        self.summary.created += payload["nodesCreated"] + payload["edgesCreated"]
        self.summary.unchanged_batches += 0 if payload["changed"] else 1
