"""Every tracker mutation asks the context for write access first (read-only keys: FORBIDDEN)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request

from provgraph.core.api.context import Context, Principal
from provgraph.core.api.errors import format_error
from provgraph.core.api.state import AppState
from provgraph.schema import build_schema
from provgraph.tracker.api.resolvers import TrackerMutation

T = "ns--0190a5b2-0000-7000-8000-000000000000"
MUTATIONS = {
    "createTask": 'createTask(input: {namespace: "ns", title: "t"}) { title }',
    "updateTask": f'updateTask(id: "{T}", input: {{title: "x"}}) {{ title }}',
    "closeTask": f'closeTask(id: "{T}", reason: "r") {{ title }}',
    "addTaskEdge": f'addTaskEdge(kind: BLOCKED_BY, source: "{T}", target: "{T}") {{ created }}',
    "removeTaskEdge": (
        f'removeTaskEdge(kind: BLOCKED_BY, source: "{T}", target: "{T}") {{ removed }}'
    ),
    "addTaskLabel": f'addTaskLabel(taskId: "{T}", label: "l") {{ title }}',
    "removeTaskLabel": f'removeTaskLabel(taskId: "{T}", label: "l") {{ title }}',
    "addComment": f'addComment(taskId: "{T}", agentId: "a", body: "b") {{ body }}',
    "createHumanAgent": 'createHumanAgent(input: {namespace: "ns", name: "n"}) { name }',
    "createMlAgent": (
        'createMlAgent(input: {namespace: "ns", role: WORKER, provider: "openai",'
        ' model: "gpt-4o"}) { model }'
    ),
    "createSoftwareAgent": 'createSoftwareAgent(input: {namespace: "ns", name: "n"}) { name }',
    "startActivity": 'startActivity(input: {agentId: "a", namespace: "ns"}) { created }',
    "endActivity": 'endActivity(id: "a") { stage }',
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


def test_the_list_covers_every_tracker_mutation() -> None:
    fields = TrackerMutation.__strawberry_definition__.fields  # type: ignore[attr-defined]
    assert set(MUTATIONS) == {camel(f.python_name) for f in fields}


async def test_read_only_principal_is_forbidden_everywhere(app: Starlette, tenant: str) -> None:
    schema = build_schema()
    request = Request({"type": "http", "method": "POST", "headers": [], "app": app})
    state: AppState = app.state.provgraph
    before = state.executor.stats.queries
    for name, selection in MUTATIONS.items():
        context = Context(
            request=request,
            response=None,
            services=state.services,
            settings=state.settings,
            principal=Principal(tenant=tenant, read_only=True),
        )
        result = await schema.execute(f"mutation {{ {selection} }}", context_value=context)
        assert result.errors, name
        assert [format_error(e)["extensions"]["code"] for e in result.errors] == ["FORBIDDEN"]
    assert state.executor.stats.queries == before  # nothing reached the engine
