"""What the commands that ask a running server's GraphQL endpoint share (``query``,
``audit``): the connection options and the headers they send."""

from __future__ import annotations

import argparse
import os

DEFAULT_URL = "http://127.0.0.1:8000/graphql"


def add_server_args(p: argparse.ArgumentParser) -> None:
    """``--url``, ``--api-key``, ``--tenant`` and ``--timeout``."""
    p.add_argument(
        "--url",
        default=os.environ.get("PROVGRAPH_URL", DEFAULT_URL),
        help=f"the server (default $PROVGRAPH_URL or {DEFAULT_URL})",
    )
    p.add_argument(
        "--api-key",
        default=os.environ.get("PROVGRAPH_API_KEY"),
        help="sent as Authorization: Bearer (default $PROVGRAPH_API_KEY)",
    )
    p.add_argument("--tenant", help="sent as X-Provgraph-Tenant (checked against the key)")
    p.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per request (default %(default)g)"
    )


def headers(args: argparse.Namespace) -> dict[str, str]:
    out = {"accept": "application/json"}
    if args.api_key:
        out["authorization"] = f"Bearer {args.api_key}"
    if args.tenant:
        out["x-provgraph-tenant"] = args.tenant
    return out
