"""``provgraph audit``: the tenant's audit trail, from a running server.

    provgraph audit export [-o FILE]       the whole chain as NDJSON, one event per line
    provgraph audit verify [FILE]          check the chain (FILE, '-' for stdin, or the server)

Each line holds the event's hashed fields (``tenant, seq, id, at, key_id, action, operation,
query, correlation_id, target_ids, args_digest, changes, prev_hash``) and its ``hash`` =
sha256 of their RFC 8785 canonical JSON; ``prev_hash`` is the previous event's ``hash``
(64 zeros for the first). ``verify`` recomputes every hash and link and names the first
broken event. Exit codes: 0 ok, 1 the chain is broken or the server refused, 2 usage or
connection problem.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TextIO

import httpx

from provgraph.cli.server_args import add_server_args, headers
from provgraph.core.store.audit import HASHED_FIELDS, verify_chain

PAGE = 500
EVENTS = """query($first: Int!, $after: String) {
  auditEvents(first: $first, after: $after) {
    edges { node { tenant seq id atMs keyId action operation query correlationId targetIds
                   argsDigest changes prevHash hash } }
    pageInfo { hasNextPage endCursor }
  }
}"""


class CommandError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "audit",
        help="export or verify the audit trail (against a running server)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", choices=("export", "verify"))
    p.add_argument("file", nargs="?", help="verify: an exported NDJSON file ('-': stdin)")
    p.add_argument("-o", "--output", help="export: write here instead of stdout")
    add_server_args(p)
    p.set_defaults(run=run)


def to_line(node: dict[str, Any]) -> dict[str, Any]:
    """A GraphQL AuditEvent as the export's line: the hashed fields in snake_case, then hash."""
    return {
        "tenant": node["tenant"],
        "seq": node["seq"],
        "id": node["id"],
        "at": int(node["atMs"]),
        "key_id": node["keyId"],
        "action": node["action"],
        "operation": node["operation"],
        "query": node["query"],
        "correlation_id": node["correlationId"],
        "target_ids": node["targetIds"],
        "args_digest": node["argsDigest"],
        "changes": node["changes"],
        "prev_hash": node["prevHash"],
        "hash": node["hash"],
    }


async def fetch_events(
    args: argparse.Namespace, client: httpx.AsyncClient
) -> AsyncIterator[dict[str, Any]]:
    after: str | None = None
    while True:
        try:
            response = await client.post(
                args.url,
                json={"query": EVENTS, "variables": {"first": PAGE, "after": after}},
                headers=headers(args),
                timeout=args.timeout,
            )
            body = response.json()
        except httpx.HTTPError as exc:
            raise CommandError(f"cannot reach {args.url}: {exc}", 2) from None
        except ValueError:
            raise CommandError(f"HTTP {response.status_code} from {args.url}", 2) from None
        if body.get("errors"):
            first = body["errors"][0]
            code = (first.get("extensions") or {}).get("code", "ERROR")
            raise CommandError(f"{code}: {first.get('message')}", 1)
        page = body["data"]["auditEvents"]
        for edge in page["edges"]:
            yield to_line(edge["node"])
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def read_lines(source: TextIO) -> list[dict[str, Any]]:
    events = []
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise CommandError(f"line {number} is not JSON: {exc}", 1) from None
        if not isinstance(value, dict) or not set(HASHED_FIELDS) <= set(value):
            raise CommandError(f"line {number} is not an audit event", 1)
        events.append(value)
    return events


def write_export(events: list[dict[str, Any]], path: str | None, out: TextIO) -> None:
    lines = "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in events)
    if path:
        Path(path).write_text(lines, encoding="utf-8")
    else:
        out.write(lines)


def load(path: str) -> list[dict[str, Any]]:
    if path == "-":
        return read_lines(sys.stdin)
    with Path(path).open(encoding="utf-8") as f:
        return read_lines(f)


async def execute(
    args: argparse.Namespace, client: httpx.AsyncClient, out: TextIO, err: TextIO
) -> int:
    try:
        if args.action == "export":
            if args.file:
                raise CommandError("export takes no FILE (use -o)", 2)
            write_export([e async for e in fetch_events(args, client)], args.output, out)
            return 0
        events = load(args.file) if args.file else [e async for e in fetch_events(args, client)]
        broken = verify_chain(events)
        if broken is not None:
            print(
                f"broken at seq {broken.seq} (event {broken.id}): {broken.reason}",
                file=out,
            )
            return 1
        head = events[-1]["hash"] if events else "(empty chain)"
        print(f"ok: {len(events)} events, head {head}", file=out)
        return 0
    except CommandError as exc:
        print(f"provgraph audit: {exc}", file=err)
        return exc.code
    except OSError as exc:
        print(f"provgraph audit: {exc}", file=err)
        return 2


def run(args: argparse.Namespace) -> int:
    async def main() -> int:
        async with httpx.AsyncClient() as client:
            return await execute(args, client, sys.stdout, sys.stderr)

    return asyncio.run(main())
