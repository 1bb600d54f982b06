"""``provgraph`` command line: serve, schema, and the forensic commands each area adds."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from provgraph import __version__
from provgraph.cli import (
    audit_cmd,
    export_cmd,
    hooks_cmd,
    import_cmd,
    keys_cmd,
    query_cmd,
    schema_cmd,
    serve_cmd,
)

COMMANDS = (
    serve_cmd,
    schema_cmd,
    keys_cmd,
    query_cmd,
    hooks_cmd,
    audit_cmd,
    export_cmd,
    import_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="provgraph", description="GraphQL provenance-graph server for AI agents."
    )
    parser.add_argument("--version", action="version", version=f"provgraph {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        # The server narrates at INFO; one-off commands speak only when something is wrong.
        level=logging.DEBUG
        if args.verbose
        else logging.INFO
        if args.command == "serve"
        else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    try:
        code: int = args.run(args)
    except ValidationError as exc:
        # A bad PROVGRAPH_* value: one line per setting, naming it and what it accepts.
        for error in exc.errors():
            name = "PROVGRAPH_" + "_".join(str(part) for part in error["loc"]).upper()
            print(f"provgraph: invalid setting {name}: {error['msg']}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
