"""Claude Code hook events mapped onto run graphs: pure, no engine.

One run per conversation (``claude-<session_id>``, its session id the conversation's): each
``UserPromptSubmit`` opens a turn (the step), tool calls of the turn are triggered by its prompt
and influenced by the turn's previous tool result, ``PostToolUse`` records the result linked to
its call by ``tool_use_id``, ``Stop`` closes the turn (an output node; the run succeeds until
the next prompt). Events from a subagent (``agent_id`` given) and ``SubagentStop`` go to a
sub-run ``claude-<session_id>-agent-<agent id>`` triggered by the Task call that started it.
Node ids come from the payload (tool_use_id, turn number), so a re-sent hook changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.ids import validate_id
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.runs.rules import (
    MAX_SHORT_CHARS,
    MAX_TEXT_CHARS,
    Batch,
    EdgeSpec,
    NodeSpec,
    RunNodeKind,
    RunSpec,
    RunStatus,
)

EVENTS = ("UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SubagentStop")
SUBAGENT_TOOLS = ("Task", "Agent")


class UnknownHookEvent(BadUserInput):
    pass


@dataclass(frozen=True)
class HookEvent:
    name: str
    session_id: str
    payload: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.payload.get(key)


def parse(body: bytes) -> HookEvent:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadUserInput(f"malformed JSON: {exc}", field="body") from None
    if not isinstance(payload, dict):
        raise BadUserInput("a hook payload is a JSON object", field="body")
    name = payload.get("hook_event_name")
    if name not in EVENTS:
        raise UnknownHookEvent(
            f"hook_event_name must be one of {', '.join(EVENTS)} (got {str(name)[:80]!r})",
            field="hook_event_name",
        )
    session = payload.get("session_id")
    if not isinstance(session, str):
        raise BadUserInput("session_id is missing", field="session_id")
    validate_id(session, "session_id")
    if name in ("PreToolUse", "PostToolUse") and not isinstance(payload.get("tool_name"), str):
        raise BadUserInput(f"{name} needs tool_name", field="tool_name")
    if name == "UserPromptSubmit" and not isinstance(payload.get("prompt"), str):
        raise BadUserInput("UserPromptSubmit needs prompt", field="prompt")
    for key in ("tool_use_id", "agent_id"):
        value = payload.get(key)
        if value is not None and not isinstance(value, str):
            raise BadUserInput(f"{key} must be a string", field=key)
        if isinstance(value, str):
            validate_id(value, key)
    return HookEvent(name, session, payload)


def run_id(session_id: str) -> str:
    return f"claude-{session_id}"


def agent_run_id(session_id: str, agent_id: str) -> str:
    return f"claude-{session_id}-agent-{agent_id}"


def _short(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def _fit(text: str) -> str:
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 20] + "…[truncated]"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return _fit(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def _json(value: Any) -> str | None:
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) <= MAX_TEXT_CHARS:
        return text
    return json.dumps(_fit(text))


class NodeRecord(Protocol):
    """What the plan reads of a stored node (the runs service's node records have it)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def run_id(self) -> str: ...
    @property
    def step(self) -> int: ...
    @property
    def created_at(self) -> int | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def tool_name(self) -> str | None: ...


@dataclass(frozen=True)
class State:
    """What the conversation's run holds so far (its nodes as stored)."""

    node_count: int
    nodes: list[NodeRecord]

    @classmethod
    def of(cls, node_count: int, nodes: list[NodeRecord]) -> State:
        return cls(node_count, sorted(nodes, key=lambda n: (n.step, n.created_at or 0, n.id)))

    @property
    def ids(self) -> set[str]:
        return {n.id for n in self.nodes}

    def turn(self, run: str) -> int:
        return sum(1 for n in self.nodes if n.run_id == run and n.kind == "input")

    def last(self, run: str, kinds: tuple[str, ...] = ()) -> NodeRecord | None:
        found = [n for n in self.nodes if n.run_id == run and (not kinds or n.kind in kinds)]
        return found[-1] if found else None

    def latest_subagent_call(self) -> NodeRecord | None:
        calls = [n for n in self.nodes if n.kind == "tool_call" and n.tool_name in SUBAGENT_TOOLS]
        return calls[-1] if calls else None


def plan(event: HookEvent, state: State) -> list[Batch]:
    """The batches one hook event records (empty when it repeats what is stored)."""
    session = event.session_id
    main = run_id(session)
    agent = event.get("agent_id")
    run = agent_run_id(session, agent) if isinstance(agent, str) else main
    if event.name == "SubagentStop" and not isinstance(agent, str):
        call = state.latest_subagent_call()
        if call is None:
            raise BadUserInput(
                "SubagentStop without agent_id and no Task tool call to attach it to",
                field="agent_id",
            )
        run = agent_run_id(session, call.id.removeprefix(f"{main}-tool-"))
    turn = max(state.turn(main), 1 if event.name != "UserPromptSubmit" else 0)
    meta = {k: event.get(k) for k in ("cwd", "transcript_path", "permission_mode")}
    known = state.ids
    nodes: list[NodeSpec] = []
    edges: list[EdgeSpec] = []
    spec = RunSpec(id=run, session_id=session)

    def node(nid: str, kind: RunNodeKind, **fields: Any) -> None:
        if nid not in known and all(n.id != nid for n in nodes):
            nodes.append(NodeSpec(len(nodes), nid, kind, step=turn, **fields))

    def edge(kind: EdgeKind, source: str | None, target: str) -> None:
        if source is not None and source != target:
            edges.append(EdgeSpec(len(edges), kind, source, target))

    hook = json.dumps({"hook_event_name": event.name, "agent_id": agent}, sort_keys=True)
    if event.name == "UserPromptSubmit":
        current = state.last(main, ("input",))
        prompt = str(event.get("prompt"))
        closed = f"{main}-stop-{state.turn(main)}" in known
        if current is not None and current.text == _text(prompt) and not closed:
            return []  # the same prompt re-sent within its turn (before its Stop)
        turn = state.turn(main) + 1
        nid = f"{main}-turn-{turn}"
        node(nid, RunNodeKind.INPUT, text=_text(prompt), json=hook)
        previous = state.last(main, ("output",))
        edge(EdgeKind.INFLUENCED, previous.id if previous else None, nid)
        spec = RunSpec(
            id=main,
            session_id=session,
            status=RunStatus.RUNNING,
            metadata=_json({"source": "claude-code", **meta}),
        )
        return [Batch(spec, nodes, edges)]

    prompt_id = f"{main}-turn-{turn}" if f"{main}-turn-{turn}" in known else None
    if event.name in ("PreToolUse", "PostToolUse"):
        name = str(event.get("tool_name"))[:MAX_SHORT_CHARS]
        tool_input = event.get("tool_input")
        use_id = event.get("tool_use_id") or _short([turn, name, tool_input])
        call_id = f"{main}-tool-{use_id}"
        if call_id not in known:
            node(
                call_id,
                RunNodeKind.TOOL_CALL,
                text=name,
                tool_name=name,
                arguments=_json(tool_input),
                json=hook,
            )
            if run == main:
                edge(EdgeKind.TRIGGERED, prompt_id, call_id)
            else:
                parent = state.latest_subagent_call()
                edge(EdgeKind.TRIGGERED, parent.id if parent else None, call_id)
            previous = state.last(run, ("tool_result",))
            if previous is not None and previous.step == turn:
                edge(EdgeKind.INFLUENCED, previous.id, call_id)
        if event.name == "PostToolUse":
            response = event.get("tool_response")
            failed = isinstance(response, dict) and bool(
                response.get("is_error") or response.get("error")
            )
            status = "error" if failed else "ok"
            node(
                f"{main}-result-{use_id}",
                RunNodeKind.TOOL_RESULT,
                text=_text(response),
                tool_name=name,
                tool_status=status,
                json=hook,
            )
            edge(EdgeKind.PRODUCED, call_id, f"{main}-result-{use_id}")
    else:  # Stop, SubagentStop
        nid = f"{run}-stop-{turn}" if event.name == "Stop" else f"{run}-stop"
        message = event.get("last_assistant_message")
        node(nid, RunNodeKind.OUTPUT, text=_text(message) or event.name, json=hook)
        last = state.last(run)
        if last is not None and last.id != nid:
            edge(EdgeKind.INFLUENCED, last.id, nid)
        elif run != main:
            call = state.latest_subagent_call()
            edge(EdgeKind.TRIGGERED, call.id if call else None, nid)
        spec = RunSpec(id=run, session_id=session, status=RunStatus.SUCCEEDED)
    if run != main:
        spec = RunSpec(
            id=run,
            session_id=session,
            status=spec.status,
            metadata=_json({"source": "claude-code", "parent_run_id": main, "agent_id": agent}),
        )
        if not nodes and not edges and spec.status is None:
            return []
        return [Batch(RunSpec(id=main, session_id=session), [], []), Batch(spec, nodes, edges)]
    if not nodes and not edges and spec.status is None:
        return []
    return [Batch(spec, nodes, edges)]
