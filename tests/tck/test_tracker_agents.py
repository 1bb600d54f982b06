"""Agents and activities: what each field and mutation sends."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest

from provgraph.core.api.relay import encode_cursor
from tests.tck.harness import TENANT, StartsWith, Tck, covers
from tests.tck.rows import (
    ACTIVITY,
    AGENT_H,
    AGENT_ML,
    AGENT_SW,
    NS,
    T0,
    T0_ISO,
    activity,
    agent,
    page,
)

# --- agents ------------------------------------------------------------------------------------


@covers("Query.agent")
async def test_agent_of_any_kind(tck: Tck) -> None:
    tck.answer("tracker/get_agents", [agent(AGENT_ML, "ml")])
    data = await tck.data(
        "query($id: String!) { agent(id: $id) { __typename nativeId agentKind "
        "... on MlAgent { role provider model } } }",
        {"id": AGENT_ML},
    )
    assert data["agent"] == {
        "__typename": "MlAgent",
        "nativeId": AGENT_ML,
        "agentKind": "ML",
        "role": "WORKER",
        "provider": "anthropic",
        "model": "claude-opus-4-6",
    }
    assert tck.sent() == [("tracker/get_agents", {"tenant": TENANT, "ids": [AGENT_ML]})]


@pytest.mark.parametrize("field", ["agent", "humanAgent", "mlAgent", "softwareAgent"])
async def test_agent_missing_is_null(tck: Tck, field: str) -> None:
    """Single lookups answer null when absent (the one absence rule)."""
    data = await tck.data(f"query($id: String!) {{ {field}(id: $id) {{ id }} }}", {"id": AGENT_H})
    assert data == {field: None}
    assert tck.names() == ["tracker/get_agents"]


@pytest.mark.parametrize("field", ["agent", "humanAgent", "mlAgent", "softwareAgent"])
@pytest.mark.parametrize("bad", ["", "with space", "x" * 513])
async def test_agent_with_a_bad_id_sends_nothing(tck: Tck, field: str, bad: str) -> None:
    code = await tck.error(f"query($id: String!) {{ {field}(id: $id) {{ id }} }}", {"id": bad})
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []


@covers("Query.humanAgent")
async def test_human_agent(tck: Tck) -> None:
    tck.answer("tracker/get_agents", [agent(AGENT_H, "human", contact="ada@example.org")])
    data = await tck.data(
        "query($id: String!) { humanAgent(id: $id) { name contact createdAt } }", {"id": AGENT_H}
    )
    assert data == {
        "humanAgent": {"name": "Ada", "contact": "ada@example.org", "createdAt": T0_ISO}
    }
    assert tck.sent() == [("tracker/get_agents", {"tenant": TENANT, "ids": [AGENT_H]})]


@covers("Query.mlAgent")
async def test_ml_agent_of_another_kind_is_a_mismatch_after_one_lookup(tck: Tck) -> None:
    tck.answer("tracker/get_agents", [agent(AGENT_H, "human")])
    body = await tck.post("query($id: String!) { mlAgent(id: $id) { model } }", {"id": AGENT_H})
    [error] = body["errors"]
    assert error["extensions"] == {"code": "AGENT_KIND_MISMATCH", "field": "id", "actual": "human"}
    assert tck.sent() == [("tracker/get_agents", {"tenant": TENANT, "ids": [AGENT_H]})]


@covers("Query.softwareAgent")
async def test_software_agent(tck: Tck) -> None:
    tck.answer(
        "tracker/get_agents", [agent(AGENT_SW, "software", name="ci", version="1.2", source="gh")]
    )
    data = await tck.data(
        "query($id: String!) { softwareAgent(id: $id) { name version source } }",
        {"id": AGENT_SW},
    )
    assert data == {"softwareAgent": {"name": "ci", "version": "1.2", "source": "gh"}}
    assert tck.sent() == [("tracker/get_agents", {"tenant": TENANT, "ids": [AGENT_SW]})]


@covers("Query.agents")
async def test_agents_kind_first_after(tck: Tck) -> None:
    tck.answer("tracker/list_agents", page([agent(AGENT_ML, "ml")]))
    data = await tck.data(
        "query($after: String) { agents(kind: ML, first: 1, after: $after) "
        "{ edges { node { nativeId } } pageInfo { hasNextPage } } }",
        {"after": encode_cursor([T0 - 1, AGENT_H])},
    )
    assert data["agents"]["pageInfo"] == {"hasNextPage": False}
    assert tck.sent() == [
        (
            "tracker/list_agents",
            {
                "tenant": TENANT,
                "agent_kind": "ml",
                "after_created": T0 - 1,
                "after_id": AGENT_H,
                "limit": 2,
            },
        )
    ]


async def test_agents_of_every_kind(tck: Tck) -> None:
    await tck.data("{ agents { edges { cursor } } }")
    assert tck.sent() == [
        (
            "tracker/list_agents",
            {
                "tenant": TENANT,
                "agent_kind": None,
                "after_created": None,
                "after_id": None,
                "limit": 51,
            },
        )
    ]


CREATE_HUMAN = """mutation($input: CreateHumanAgentInput!) {
  createHumanAgent(input: $input) { nativeId name } }"""


def _agent_params(kind: str, **fields: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "tenant": TENANT,
        "id": StartsWith(f"{NS}--"),
        "agent_kind": kind,
        "name": None,
        "contact": None,
        "role": None,
        "provider": None,
        "model": None,
        "version": None,
        "source": None,
        "now": ANY,
    }
    params.update(fields)
    return params


@covers("Mutation.createHumanAgent")
async def test_create_human_agent(tck: Tck) -> None:
    tck.answer("tracker/create_agent", lambda p: [agent(p["id"], "human", name=p["name"])])
    data = await tck.data(CREATE_HUMAN, {"input": {"namespace": NS, "name": "Grace"}})
    assert data["createHumanAgent"]["name"] == "Grace"
    assert tck.sent() == [("tracker/create_agent", _agent_params("human", name="Grace"))]


@pytest.mark.parametrize(
    "agent_input",
    [{"namespace": NS, "name": "   "}, {"namespace": "bad ns", "name": "G"}],
)
async def test_create_human_agent_with_bad_input_sends_nothing(
    tck: Tck, agent_input: dict[str, str]
) -> None:
    assert await tck.error(CREATE_HUMAN, {"input": agent_input}) == "BAD_USER_INPUT"
    assert tck.calls == []


CREATE_ML = """mutation($input: CreateMlAgentInput!) {
  createMlAgent(input: $input) { nativeId role provider model } }"""


@covers("Mutation.createMlAgent")
async def test_create_ml_agent(tck: Tck) -> None:
    tck.answer(
        "tracker/create_agent",
        lambda p: [agent(p["id"], "ml", role=p["role"], provider=p["provider"], model=p["model"])],
    )
    data = await tck.data(
        CREATE_ML,
        {
            "input": {
                "namespace": NS,
                "role": "REVIEWER",
                "provider": "anthropic",
                "model": "claude-opus-4-6",
            }
        },
    )
    assert data["createMlAgent"]["role"] == "REVIEWER"
    assert tck.sent() == [
        (
            "tracker/create_agent",
            _agent_params("ml", role="reviewer", provider="anthropic", model="claude-opus-4-6"),
        )
    ]


async def test_create_ml_agent_with_an_unknown_model_sends_nothing(tck: Tck) -> None:
    code = await tck.error(
        CREATE_ML,
        {
            "input": {
                "namespace": NS,
                "role": "WORKER",
                "provider": "anthropic",
                "model": "no-such-model",
            }
        },
    )
    assert code == "NOT_FOUND"
    assert tck.calls == []


@covers("Mutation.createSoftwareAgent")
async def test_create_software_agent(tck: Tck) -> None:
    tck.answer("tracker/create_agent", lambda p: [agent(p["id"], "software", name=p["name"])])
    await tck.data(
        """mutation($input: CreateSoftwareAgentInput!) {
             createSoftwareAgent(input: $input) { nativeId } }""",
        {"input": {"namespace": NS, "name": "ci", "version": "2", "source": "git"}},
    )
    assert tck.sent() == [
        (
            "tracker/create_agent",
            _agent_params("software", name="ci", version="2", source="git"),
        )
    ]


@covers("Query.mlModels")
async def test_ml_models_sends_nothing(tck: Tck) -> None:
    data = await tck.data("{ mlModels { provider models } }")
    assert "anthropic" in [p["provider"] for p in data["mlModels"]]
    assert tck.calls == []


# --- activities --------------------------------------------------------------------------------


@covers("Query.activity")
async def test_activity(tck: Tck) -> None:
    tck.answer("tracker/get_activities", [activity()])
    tck.answer("tracker/get_agents", [agent()])
    data = await tck.data(
        "query($id: String!) { activity(id: $id) { stage agent { nativeId } } }", {"id": ACTIVITY}
    )
    assert data == {"activity": {"stage": "IN_PROGRESS", "agent": {"nativeId": AGENT_H}}}
    assert tck.sent() == [
        ("tracker/get_activities", {"tenant": TENANT, "ids": [ACTIVITY]}),
        ("tracker/get_agents", {"tenant": TENANT, "ids": [AGENT_H]}),
    ]


async def test_activity_with_a_malformed_id_sends_nothing(tck: Tck) -> None:
    """As ``agent``, ``task`` and ``endActivity``: a malformed id is BAD_USER_INPUT."""
    assert await tck.error('{ activity(id: "has space") { id } }') == "BAD_USER_INPUT"
    assert tck.calls == []


@covers("Query.activities")
async def test_activities_of_one_agent(tck: Tck) -> None:
    tck.answer("tracker/list_activities", page([activity()]))
    data = await tck.data(
        "query($a: String) { activities(agentId: $a, first: 5) { edges { cursor } } }",
        {"a": AGENT_H},
    )
    assert data["activities"]["edges"] == [{"cursor": encode_cursor([T0, ACTIVITY])}]
    assert tck.sent() == [
        (
            "tracker/list_activities",
            {
                "tenant": TENANT,
                "agent_id": AGENT_H,
                "after_created": None,
                "after_id": None,
                "limit": 6,
            },
        )
    ]


async def test_activities_with_a_bad_agent_id_sends_nothing(tck: Tck) -> None:
    code = await tck.error('{ activities(agentId: "") { edges { cursor } } }')
    assert code == "BAD_USER_INPUT"
    assert tck.calls == []


START = """mutation($input: StartActivityInput!) {
  startActivity(input: $input) { created activity { nativeId stage } } }"""


@covers("Mutation.startActivity")
async def test_start_activity_looks_up_then_creates_in_one_transaction(tck: Tck) -> None:
    tck.answer("tracker/create_activity", lambda p: [activity(p["id"], p["agent_id"])])
    data = await tck.data(
        START, {"input": {"agentId": AGENT_H, "namespace": NS, "phase": "REVIEW"}}
    )
    made = data["startActivity"]["activity"]["nativeId"]
    assert made.startswith(f"{NS}--")
    assert data["startActivity"]["created"] is True
    assert tck.sent() == [
        ("tracker/get_activities", {"tenant": TENANT, "ids": [made]}),
        (
            "tracker/create_activity",
            {
                "tenant": TENANT,
                "id": made,
                "agent_id": AGENT_H,
                "phase": "review",
                "stage": "in_progress",
                "notes": None,
                "now": ANY,
            },
        ),
    ]
    assert tck.transactions() == [
        ("tracker/start", True, ["tracker/get_activities", "tracker/create_activity"])
    ]


async def test_start_activity_replayed_with_its_id_creates_nothing(tck: Tck) -> None:
    tck.answer("tracker/get_activities", [activity()])
    data = await tck.data(START, {"input": {"agentId": AGENT_H, "id": ACTIVITY}})
    assert data["startActivity"]["created"] is False
    assert tck.names() == ["tracker/get_activities"]


@pytest.mark.parametrize(
    "activity_input",
    [
        {"agentId": AGENT_H},  # neither id nor namespace
        {"agentId": "", "namespace": NS},
        {"agentId": AGENT_H, "id": "with space"},
        {"agentId": AGENT_H, "namespace": "a--b"},
    ],
)
async def test_start_activity_with_bad_input_sends_nothing(
    tck: Tck, activity_input: dict[str, str]
) -> None:
    assert await tck.error(START, {"input": activity_input}) == "BAD_USER_INPUT"
    assert tck.calls == []


END = """mutation($id: String!, $stage: Stage) {
  endActivity(id: $id, stage: $stage) { endedAt stage } }"""


@covers("Mutation.endActivity")
async def test_end_activity(tck: Tck) -> None:
    tck.answer("tracker/end_activity", [activity(stage="complete", ended_at=T0)])
    data = await tck.data(END, {"id": ACTIVITY, "stage": "COMPLETE"})
    assert data == {"endActivity": {"endedAt": T0_ISO, "stage": "COMPLETE"}}
    assert tck.sent() == [
        (
            "tracker/end_activity",
            {"tenant": TENANT, "id": ACTIVITY, "stage": "complete", "now": ANY},
        )
    ]


async def test_end_activity_without_a_stage_sends_null(tck: Tck) -> None:
    tck.answer("tracker/end_activity", [activity(ended_at=T0)])
    await tck.data(END, {"id": ACTIVITY})
    assert tck.calls[0].params["stage"] is None


async def test_end_activity_missing_is_not_found_and_bad_id_sends_nothing(tck: Tck) -> None:
    assert await tck.error(END, {"id": ACTIVITY}) == "NOT_FOUND"
    assert tck.names() == ["tracker/end_activity"]
    tck.clear()
    assert await tck.error(END, {"id": ""}) == "BAD_USER_INPUT"
    assert tck.calls == []
