"""The tracker's stored shape on the real engine: directions, nodes shared with runs, lineage."""

from __future__ import annotations

import pytest

from provgraph.config import Settings
from provgraph.core.domain.errors import NotFound
from provgraph.core.domain.paging import PageRequest
from provgraph.core.domain.vocabulary import CAUSAL_REL_TYPES, EdgeKind
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine
from provgraph.tracker.agent_repository import ActivityRepository, AgentRepository
from provgraph.tracker.model_registry import ModelRegistry
from provgraph.tracker.records import AgentKind, Phase, Stage, TaskEdge
from provgraph.tracker.repository import TaskRepository
from provgraph.tracker.service import AgentService, TaskFilter, TaskService

NS = "file:///work/project"


@pytest.fixture
def tasks(executor: Executor) -> TaskService:
    return TaskService(TaskRepository(executor), Settings(max_traversal_depth=10))


@pytest.fixture
def agents(executor: Executor) -> AgentService:
    return AgentService(
        AgentRepository(executor), ActivityRepository(executor), ModelRegistry.load()
    )


async def rows(engine: Engine, text: str, **params: object) -> list[dict[str, object]]:
    records, _, _ = await engine.driver.execute_query(
        text,
        params,
        database_=engine.database,
    )
    return [r.data() for r in records]


async def test_edges_are_stored_effect_to_cause(
    tasks: TaskService, agents: AgentService, tenant: str, engine: Engine
) -> None:
    blocked = (await tasks.create(tenant, namespace=NS, title="blocked")).id
    blocker = (await tasks.create(tenant, namespace=NS, title="blocker")).id
    agent = await agents.create(tenant, "team", AgentKind.HUMAN, {"name": "Ada"})
    activity, _ = await agents.start_activity(
        tenant,
        agent_id=agent.id,
        phase=Phase.REVIEW,
        stage=Stage.IN_PROGRESS,
        notes=None,
        namespace="team",
    )
    await tasks.add_edge(tenant, EdgeKind.BLOCKED_BY, blocked, blocker)
    await tasks.add_edge(tenant, EdgeKind.GENERATED_BY, blocked, activity.id)
    await tasks.add_edge(tenant, EdgeKind.ATTRIBUTED_TO, blocked, agent.id)
    await tasks.add_comment(tenant, blocked, agent.id, "looks stuck")
    found = await rows(
        engine,
        "MATCH (s:Node {tenant: $tenant})-[r]->(e:Node {tenant: $tenant})"
        " RETURN s.kind AS s, type(r) AS rel, e.kind AS e, s.id AS sid, e.id AS eid",
        tenant=tenant,
    )
    shape = {(r["s"], r["rel"], r["e"]) for r in found}
    assert shape == {
        ("task", "BLOCKED_BY", "task"),
        ("task", "WAS_GENERATED_BY", "activity"),
        ("task", "WAS_ATTRIBUTED_TO", "agent"),
        ("activity", "WAS_ASSOCIATED_WITH", "agent"),
        ("comment", "COMMENTS_ON", "task"),
        ("comment", "WAS_ATTRIBUTED_TO", "agent"),
    }
    assert {(r["sid"], r["eid"]) for r in found if r["rel"] == "BLOCKED_BY"} == {(blocked, blocker)}
    # every tracker node carries the house properties
    nodes = await rows(
        engine,
        "MATCH (n:Node {tenant: $tenant}) WHERE n.kind <> 'tenant_lock'"
        " RETURN n.kind AS kind, n.created_at AS created_at",
        tenant=tenant,
    )
    assert all(isinstance(n["created_at"], int) for n in nodes)
    assert sorted({str(n["kind"]) for n in nodes}) == ["activity", "agent", "comment", "task"]


async def test_task_lineage_crosses_into_activities_agents_and_runs(
    tasks: TaskService, agents: AgentService, tenant: str, engine: Engine
) -> None:
    """Generic PROV lineage (all causal types, effect -> cause) walks from a task to the
    activity that generated it, that activity's agent, and on to runs attributed to it."""
    task = (await tasks.create(tenant, namespace=NS, title="ship it")).id
    agent = await agents.create(
        tenant,
        "team",
        AgentKind.ML,
        {"role": "worker", "provider": "anthropic", "model": "claude-sonnet-4-5"},
    )
    activity, _ = await agents.start_activity(
        tenant,
        agent_id=agent.id,
        phase=Phase.IMPL_PLAN,
        stage=Stage.IN_PROGRESS,
        notes=None,
        activity_id="act-1",
    )
    await tasks.add_edge(tenant, EdgeKind.GENERATED_BY, task, activity.id)
    # A run of the runs area, attributed to the same agent node (its contract: runs refer to
    # tracker agents by WAS_ATTRIBUTED_TO).
    await engine.driver.execute_query(
        "MATCH (a:Node:Agent {tenant: $tenant, id: $agent})"
        " CREATE (r:Node:Run {tenant: $tenant, id: 'run-1', kind: 'run', created_at: 1})"
        " CREATE (r)-[:WAS_ATTRIBUTED_TO]->(a)",
        tenant=tenant,
        agent=agent.id,
        database_=engine.database,
    )
    types = [t.value for t in CAUSAL_REL_TYPES]
    ancestors = await rows(
        engine,
        "MATCH p = (t:Node {tenant: $tenant, id: $id})-[*1..5]->(a:Node {tenant: $tenant})"
        " WHERE all(r IN relationships(p) WHERE type(r) IN $types)"
        " RETURN DISTINCT a.id AS id, a.kind AS kind",
        tenant=tenant,
        id=task,
        types=types,
    )
    assert {(r["id"], r["kind"]) for r in ancestors} == {
        ("act-1", "activity"),
        (agent.id, "agent"),
    }
    descendants = await rows(
        engine,
        "MATCH p = (x:Node {tenant: $tenant, id: $id})<-[*1..5]-(d:Node {tenant: $tenant})"
        " WHERE all(r IN relationships(p) WHERE type(r) IN $types)"
        " RETURN DISTINCT d.id AS id, d.kind AS kind",
        tenant=tenant,
        id=agent.id,
        types=types,
    )
    assert {(r["id"], r["kind"]) for r in descendants} == {
        ("act-1", "activity"),
        (task, "task"),
        ("run-1", "run"),
    }


async def test_activity_replays_race_to_one_node(
    agents: AgentService, tenant: str, engine: Engine
) -> None:
    import asyncio

    agent = await agents.create(tenant, "team", AgentKind.SOFTWARE, {"name": "ci"})
    results = await asyncio.gather(
        *(
            agents.start_activity(
                tenant,
                agent_id=agent.id,
                phase=Phase.LANDING,
                stage=Stage.IN_PROGRESS,
                notes=f"replay {i}",
                activity_id="same-id",
            )
            for i in range(5)
        ),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    made = [r for r in results if isinstance(r, tuple)]
    assert sum(1 for _, created in made if created) == 1
    assert {activity.notes for activity, _ in made} == {made[0][0].notes}
    count = await rows(
        engine,
        "MATCH (x:Node:Activity {tenant: $tenant, id: 'same-id'}) RETURN count(x) AS c",
        tenant=tenant,
    )
    assert count == [{"c": 1}]


async def test_tenants_do_not_see_or_link_each_others_tasks(
    tasks: TaskService, agents: AgentService, tenant: str, engine: Engine
) -> None:
    other = f"{tenant}-other"
    try:
        mine = (await tasks.create(tenant, namespace=NS, title="mine")).id
        theirs = (await tasks.create(other, namespace=NS, title="theirs")).id
        assert await tasks.get(tenant, theirs) is None
        assert await tasks.get(other, theirs) is not None
        with pytest.raises(NotFound):
            await tasks.add_edge(tenant, EdgeKind.BLOCKED_BY, mine, theirs)
        with pytest.raises(NotFound):
            await tasks.close(tenant, theirs, "not yours")
        listed = await tasks.list_page(tenant, TaskFilter(), PageRequest(10))
        assert [t.id for t in listed.rows] == [mine] and listed.total == 1
        with pytest.raises(NotFound):
            await agents.get(other, "team--anyone")
    finally:
        await engine.driver.execute_query(
            "MATCH (n:Node {tenant: $tenant}) DETACH DELETE n",
            tenant=other,
            database_=engine.database,
        )


async def test_comments_are_numbered_per_task_in_append_order(
    tasks: TaskService, agents: AgentService, tenant: str
) -> None:
    import asyncio

    task = (await tasks.create(tenant, namespace=NS, title="talk")).id
    author = await agents.create(tenant, "team", AgentKind.HUMAN, {"name": "Ada"})
    for body in ["one", "two", "three"]:  # back to back, often within one millisecond
        await tasks.add_comment(tenant, task, author.id, body)
    await asyncio.gather(
        *(tasks.add_comment(tenant, task, author.id, f"burst {i}") for i in range(8))
    )
    listed = await tasks.list_comments(tenant, task, PageRequest(50))
    assert listed.total == 11
    assert [c.body for c in listed.rows[:3]] == ["one", "two", "three"]
    assert [c.seq for c in listed.rows] == list(range(1, 12))  # none lost, none numbered twice
    batched = await tasks.comment_pages(tenant, [task], PageRequest(50))
    assert batched[task] == listed


async def test_comment_and_relation_pages_cut_per_task_and_scope_to_the_tenant(
    tasks: TaskService, agents: AgentService, tenant: str, engine: Engine
) -> None:
    """One batched query answers many tasks: each gets at most size + 1 rows (the extra one
    tells a next page exists) and the count of all; another tenant's ids answer nothing."""
    author = await agents.create(tenant, "team", AgentKind.HUMAN, {"name": "Ada"})
    ids = [(await tasks.create(tenant, namespace=NS, title=f"t{i}")).id for i in range(3)]
    for i, task in enumerate(ids):
        for c in range(i + 2):  # 2, 3 and 4 comments
            await tasks.add_comment(tenant, task, author.id, f"{i}.{c}")
    await tasks.add_edge(tenant, EdgeKind.BLOCKED_BY, ids[0], ids[1])
    await tasks.add_edge(tenant, EdgeKind.BLOCKED_BY, ids[0], ids[2])
    await tasks.add_edge(tenant, EdgeKind.ATTRIBUTED_TO, ids[0], author.id)
    await tasks.add_edge(tenant, EdgeKind.DERIVED_FROM, ids[2], ids[0])

    comments = await tasks.comment_pages(tenant, ids, PageRequest(2))
    assert [comments[t].total for t in ids] == [2, 3, 4]
    assert [[c.body for c in comments[t].rows] for t in ids] == [
        ["0.0", "0.1"],
        ["1.0", "1.1", "1.2"],
        ["2.0", "2.1", "2.2"],  # size + 1: the fourth is not fetched
    ]
    assert all(c.author_id == author.id for t in ids for c in comments[t].rows)
    last = comments[ids[2]].rows[1]
    rest = await tasks.comment_pages(tenant, [ids[2]], PageRequest(2, [last.seq, last.id]))
    assert [c.body for c in rest[ids[2]].rows] == ["2.2", "2.3"]
    assert rest[ids[2]].total == 4

    relations = await tasks.relation_pages(tenant, ids, None, PageRequest(1))
    assert [relations[t].total for t in ids] == [4, 1, 2]
    first = relations[ids[0]].rows
    assert len(first) == 2 and first[0].kind is EdgeKind.BLOCKED_BY
    assert relations[ids[1]].rows == [TaskEdge(EdgeKind.BLOCKED_BY, ids[0], ids[1])]
    only = await tasks.relation_pages(tenant, [ids[0]], [EdgeKind.ATTRIBUTED_TO], PageRequest(5))
    assert only[ids[0]].rows == [TaskEdge(EdgeKind.ATTRIBUTED_TO, ids[0], author.id)]

    other = f"{tenant}-other"
    assert await tasks.comment_pages(other, ids, PageRequest(5)) == {}
    assert await tasks.relation_pages(other, ids, None, PageRequest(5)) == {}
    with pytest.raises(NotFound):
        await tasks.list_comments(other, ids[0], PageRequest(5))
    with pytest.raises(NotFound):
        await tasks.relations(other, ids[0], None, PageRequest(5))
