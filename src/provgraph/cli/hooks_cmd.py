"""``provgraph hooks claude-code``: the Claude Code settings snippet that sends every hook event
to ``POST /hooks/claude-code`` (paste it into ``.claude/settings.json``)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
from typing import Any

EVENTS = ("UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SubagentStop")
TOOL_EVENTS = ("PreToolUse", "PostToolUse")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "hooks", help="print settings that send an agent's hook events to provgraph"
    )
    hooks = p.add_subparsers(dest="agent", required=True, metavar="AGENT")
    claude = hooks.add_parser("claude-code", help="the Claude Code settings.json snippet")
    claude.add_argument(
        "--url", default="http://127.0.0.1:8000", help="provgraph's base URL (default: %(default)s)"
    )
    claude.add_argument(
        "--key",
        default=os.environ.get("PROVGRAPH_API_KEY"),
        help="the API key to send (default: $PROVGRAPH_API_KEY; none in dev mode)",
    )
    claude.set_defaults(run=run)


def command(url: str, key: str | None) -> str:
    """A hook command: the event (stdin) posted to provgraph; never blocks or feeds Claude."""
    parts = [
        "curl", "-sS", "-m", "5", "-X", "POST", f"{url.rstrip('/')}/hooks/claude-code",
        "-H", "content-type: application/json",
    ]  # fmt: skip
    if key:
        parts += ["-H", f"Authorization: Bearer {key}"]
    parts += ["--data-binary", "@-"]
    return " ".join(shlex.quote(p) for p in parts) + " >/dev/null 2>&1 || true"


def snippet(url: str, key: str | None) -> dict[str, Any]:
    hook = {"type": "command", "command": command(url, key)}
    return {
        "hooks": {
            event: [
                {"matcher": "*", "hooks": [hook]} if event in TOOL_EVENTS else {"hooks": [hook]}
            ]
            for event in EVENTS
        }
    }


def run(args: argparse.Namespace) -> int:
    print(json.dumps(snippet(args.url, args.key), indent=2))
    return 0
