"""``provgraph schema``: print (or write) the SDL exported from the code."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("schema", help="print the GraphQL SDL")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    p.set_defaults(run=run)


def export_sdl() -> str:
    from provgraph.schema import build_schema

    return build_schema().as_str().rstrip() + "\n"


def run(args: argparse.Namespace) -> int:
    sdl = export_sdl()
    if args.output:
        args.output.write_text(sdl, encoding="utf-8")
    else:
        print(sdl, end="")
    return 0
