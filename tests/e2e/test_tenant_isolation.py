"""Tenant isolation, field by field: another tenant's key never reaches the first tenant's data.

Tenant A records tasks, agents, an activity, comments and two runs. Tenant B then calls every
root field with A's ids: lookups answer NOT_FOUND (or null where the field is a nullable lookup),
lists and traversals leave A's data out, and mutations change nothing of A's. A meta-test fails
when a root field has no case here, so new fields join the suite.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from provgraph.app import create_app
from provgraph.config import Settings
from provgraph.engine.connection import Engine
from provgraph.schema import build_schema
from tests.app_state import key_service
from tests.graphql_client import error_codes, gql
from tests.runs_fixtures import RECORD, sample_run

NS = "https://github.com/acme/app"
# Fields with no tenant data: the same answer for everyone.
TENANT_FREE = {"serverInfo", "viewer", "mlModels"}


@dataclass
class World:
    a: httpx.AsyncClient
    b: httpx.AsyncClient
    tenant_a: str
    tenant_b: str
    ids: dict[str, str]


async def ok(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@pytest.fixture
async def world(settings: Settings, engine: Engine, tenant: str) -> AsyncIterator[World]:
    app: Starlette = create_app(
        settings.model_copy(update={"require_api_keys": True}), engine=engine
    )
    tenant_b = f"{tenant}-intruder"
    async with app.router.lifespan_context(app):
        _, key_a = await key_service(app).create(tenant)
        _, key_b = await key_service(app).create(tenant_b)
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(
                transport=transport,
                base_url="http://provgraph.test",
                headers={"Authorization": f"Bearer {key_a}"},
            ) as a,
            httpx.AsyncClient(
                transport=transport,
                base_url="http://provgraph.test",
                headers={"Authorization": f"Bearer {key_b}"},
            ) as b,
        ):
            ids = await _populate(a)
            yield World(a, b, tenant, tenant_b, ids)
    for cleanup in (
        "MATCH (n:Node {tenant: $t}) DETACH DELETE n",
        "MATCH (k:ApiKey {tenant: $t}) DETACH DELETE k",
    ):
        await engine.driver.execute_query(cleanup, t=tenant_b, database_=engine.database)


async def _populate(a: httpx.AsyncClient) -> dict[str, str]:
    ids: dict[str, str] = {}
    human = await ok(
        a, 'mutation { createHumanAgent(input: {namespace: "team", name: "Ada"}) { id nativeId } }'
    )
    ids["human"] = human["createHumanAgent"]["nativeId"]
    ids["human_gid"] = human["createHumanAgent"]["id"]
    ml = await ok(
        a,
        'mutation { createMlAgent(input: {namespace: "team", role: WORKER,'
        ' provider: "anthropic", model: "claude-sonnet-4-5"}) { nativeId } }',
    )
    ids["ml"] = ml["createMlAgent"]["nativeId"]
    sw = await ok(
        a, 'mutation { createSoftwareAgent(input: {namespace: "team", name: "ci"}) { nativeId } }'
    )
    ids["software"] = sw["createSoftwareAgent"]["nativeId"]
    act = await ok(
        a,
        'mutation($agent: String!) { startActivity(input: {agentId: $agent, id: "act-1"})'
        " { activity { nativeId } } }",
        agent=ids["human"],
    )
    ids["activity"] = act["startActivity"]["activity"]["nativeId"]
    for name in ("t1", "t2"):
        made = await ok(
            a,
            "mutation($ns: String!, $title: String!) {"
            " createTask(input: {namespace: $ns, title: $title}) { id nativeId } }",
            ns=NS,
            title=f"task {name}",
        )
        ids[name] = made["createTask"]["nativeId"]
        ids[f"{name}_gid"] = made["createTask"]["id"]
    await ok(
        a,
        "mutation($s: String!, $t: String!) { addTaskEdge(kind: BLOCKED_BY, source: $s,"
        " target: $t) { created } }",
        s=ids["t1"],
        t=ids["t2"],
    )
    await ok(
        a,
        'mutation($t: String!) { addTaskLabel(taskId: $t, label: "secret") { nativeId } }',
        t=ids["t1"],
    )
    await ok(
        a,
        "mutation($t: String!, $ag: String!) { addComment(taskId: $t, agentId: $ag,"
        ' body: "for A only") { nativeId } }',
        t=ids["t1"],
        ag=ids["human"],
    )
    for run_id in ("run-a", "run-b"):
        batch = sample_run(run_id)
        batch["run"]["sessionId"] = "sess-a"
        body = await gql(a, RECORD, {"input": batch})
        assert "errors" not in body, body
    run = await ok(a, '{ run(id: "run-a") { id } runNode(id: "run-a:out") { id } }')
    ids["run_gid"] = run["run"]["id"]
    ids["run_node_gid"] = run["runNode"]["id"]
    await ok(a, GOVERNANCE_SETUP, actor=ids["human"])
    return ids


GOVERNANCE_SETUP = """mutation($actor: String!) {
  publishAgentVersion(input: {agent: "ag", version: "1.0.0", model: "m", provider: "p"}) {
    created }
  v2: publishAgentVersion(input: {agent: "ag", version: "1.1.0", model: "m2", provider: "p"}) {
    created }
  publishPromptVersion(input: {prompt: "pr", version: "1.0.0", template: "secret {{ x }}"}) {
    created }
  setPromptLabel(prompt: "pr", label: "production", versionId: "prompt:pr@1.0.0") { label }
  createEvalSuite(input: {id: "suite-a", name: "s", cases: [{id: "c1", input: "q"}]}) { id }
  recordEvalRun(input: {id: "eval-a", suiteId: "suite-a", versionId: "agent:ag@1.0.0",
    results: [{caseId: "c1", passed: true, score: 1}]}) { id }
  e2: recordEvalRun(input: {id: "eval-a2", suiteId: "suite-a", versionId: "agent:ag@1.1.0",
    results: [{caseId: "c1", passed: true, score: 1}]}) { id }
  configureEnvironment(input: {name: "prod"}) { name }
  promote(input: {environment: "prod", versionId: "agent:ag@1.0.0", actorId: $actor,
    reason: "go"}) { id }
  p2: promote(input: {environment: "prod", versionId: "agent:ag@1.1.0", actorId: $actor,
    reason: "go"}) { id }
  linkVersions(nodeId: "run-a", agentVersionId: "agent:ag@1.0.0") { nodeId }
}"""


Check = Callable[[World], Awaitable[None]]
CASES: dict[str, Check] = {}


def case(field: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CASES[field] = fn
        return fn

    return register


async def refused(w: World, document: str, **variables: Any) -> dict[str, Any]:
    """B's call is refused as NOT_FOUND; returns the body."""
    body = await gql(w.b, document, variables)
    assert error_codes(body) == ["NOT_FOUND"], body
    return body


async def nothing(w: World, field: str, document: str, **variables: Any) -> None:
    """B gets null (a nullable lookup) or NOT_FOUND."""
    body = await gql(w.b, document, variables)
    if body.get("errors"):
        assert error_codes(body) == ["NOT_FOUND"], body
    else:
        assert body["data"][field] is None, body


def _no_a_ids(value: Any, w: World) -> None:
    text = str(value)
    for key in ("t1", "t2", "human", "ml", "software", "activity"):
        assert w.ids[key] not in text, f"{key} of tenant A leaked: {text[:300]}"
    assert "run-a:" not in text and "for A only" not in text


# ---- reads -------------------------------------------------------------------------------


@case("node")
async def _node(w: World) -> None:
    for gid in ("t1_gid", "human_gid", "run_gid", "run_node_gid"):
        await nothing(w, "node", "query($id: ID!) { node(id: $id) { id } }", id=w.ids[gid])


@case("nodes")
async def _nodes(w: World) -> None:
    gids = [w.ids[k] for k in ("t1_gid", "human_gid", "run_gid", "run_node_gid")]
    body = await gql(w.b, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": gids})
    assert body.get("data") and body["data"]["nodes"] == [None] * 4, body


@case("runNode")
async def _run_node(w: World) -> None:
    await nothing(w, "runNode", '{ runNode(id: "run-a:out") { nodeId } }')


@case("run")
async def _run(w: World) -> None:
    await nothing(w, "run", '{ run(id: "run-a") { runId } }')


@case("runSubgraph")
async def _subgraph(w: World) -> None:
    await refused(w, '{ runSubgraph(runId: "run-a") { nodes { nodeId } } }')


@case("ancestors")
async def _ancestors(w: World) -> None:
    await refused(w, '{ ancestors(nodeId: "run-a:out") { nodes { distance } } }')


@case("descendants")
async def _descendants(w: World) -> None:
    await refused(w, '{ descendants(nodeId: "run-a:in") { nodes { distance } } }')


@case("lineage")
async def _lineage(w: World) -> None:
    await refused(w, '{ lineage(fromId: "run-a:in", toId: "run-a:out") { paths { length } } }')


@case("runDiff")
async def _diff(w: World) -> None:
    await refused(w, '{ runDiff(runId: "run-a", otherRunId: "run-b") { identical } }')


@case("verifyRun")
async def _verify(w: World) -> None:
    await refused(w, '{ verifyRun(runId: "run-a") { ok } }')


@case("provDocument")
async def _prov_document(w: World) -> None:
    await refused(w, '{ provDocument(runId: "run-a") { document } }')
    await refused(w, '{ provDocument(nodeId: "run-a:out") { document } }')
    # A session is a filter, not a lookup: B's export of A's session holds nothing of A's.
    body = await gql(w.b, '{ provDocument(sessionId: "s-a", format: PROV_N) { document runIds } }')
    assert "errors" not in body, body
    assert body["data"]["provDocument"]["runIds"] == []
    _no_a_ids(body["data"], w)


@case("otlpDocument")
async def _otlp_document(w: World) -> None:
    await refused(w, '{ otlpDocument(runId: "run-a") { document } }')
    await refused(w, '{ otlpDocument(nodeId: "run-a:out") { document } }')
    body = await gql(w.b, '{ otlpDocument(sessionId: "s-a") { document runIds } }')
    assert "errors" not in body, body
    assert body["data"]["otlpDocument"]["runIds"] == []
    _no_a_ids(body["data"], w)


@case("task")
async def _task(w: World) -> None:
    await nothing(w, "task", "query($id: String!) { task(id: $id) { title } }", id=w.ids["t1"])


@case("tasks")
async def _tasks(w: World) -> None:
    data = await ok(w.b, "{ tasks(first: 100) { edges { node { nativeId title } } } }")
    assert data["tasks"]["edges"] == []
    data = await ok(w.b, '{ tasks(filter: {label: "secret"}) { edges { node { nativeId } } } }')
    assert data["tasks"]["edges"] == []


@case("readyTasks")
async def _ready(w: World) -> None:
    data = await ok(w.b, "{ readyTasks { edges { node { nativeId } } } }")
    _no_a_ids(data, w)


@case("blockedTasks")
async def _blocked(w: World) -> None:
    data = await ok(w.b, "{ blockedTasks { edges { node { nativeId } } } }")
    _no_a_ids(data, w)


@case("taskEdges")
async def _task_edges(w: World) -> None:
    await refused(
        w,
        "query($t: String!) { taskEdges(taskId: $t) { edges { node { kind } } } }",
        t=w.ids["t1"],
    )


@case("dependencyTree")
async def _tree(w: World) -> None:
    await refused(
        w, "query($t: String!) { dependencyTree(taskId: $t) { truncated } }", t=w.ids["t1"]
    )


@case("taskAncestors")
async def _task_ancestors(w: World) -> None:
    await refused(
        w, "query($t: String!) { taskAncestors(taskId: $t) { truncated } }", t=w.ids["t1"]
    )


@case("taskDescendants")
async def _task_descendants(w: World) -> None:
    await refused(
        w, "query($t: String!) { taskDescendants(taskId: $t) { truncated } }", t=w.ids["t2"]
    )


@case("taskComments")
async def _comments(w: World) -> None:
    await refused(
        w,
        "query($t: String!) { taskComments(taskId: $t) { edges { node { body } } } }",
        t=w.ids["t1"],
    )


@case("agent")
async def _agent(w: World) -> None:
    await nothing(
        w, "agent", "query($id: String!) { agent(id: $id) { nativeId } }", id=w.ids["human"]
    )


@case("humanAgent")
async def _human(w: World) -> None:
    await nothing(
        w, "humanAgent", "query($id: String!) { humanAgent(id: $id) { name } }", id=w.ids["human"]
    )


@case("mlAgent")
async def _ml(w: World) -> None:
    await nothing(
        w, "mlAgent", "query($id: String!) { mlAgent(id: $id) { model } }", id=w.ids["ml"]
    )


@case("softwareAgent")
async def _software(w: World) -> None:
    await nothing(
        w,
        "softwareAgent",
        "query($id: String!) { softwareAgent(id: $id) { name } }",
        id=w.ids["software"],
    )


@case("agents")
async def _agents(w: World) -> None:
    data = await ok(w.b, "{ agents(first: 100) { edges { node { nativeId } } } }")
    assert data["agents"]["edges"] == []


@case("activity")
async def _activity(w: World) -> None:
    await nothing(
        w, "activity", "query($id: String!) { activity(id: $id) { notes } }", id=w.ids["activity"]
    )


@case("activities")
async def _activities(w: World) -> None:
    data = await ok(w.b, "{ activities(first: 100) { edges { node { nativeId } } } }")
    assert data["activities"]["edges"] == []
    by_agent = await gql(
        w.b,
        "query($a: String!) { activities(agentId: $a) { edges { node { nativeId } } } }",
        {"a": w.ids["human"]},
    )
    if by_agent.get("errors"):
        assert error_codes(by_agent) == ["NOT_FOUND"]
    else:
        assert by_agent["data"]["activities"]["edges"] == []


# ---- writes ------------------------------------------------------------------------------


@case("recordRuns")
async def _record_many(w: World) -> None:
    # An edge from B's batch into A's node does not exist for B: the whole request is refused.
    runs = """mutation($input: [RecordRunInput!]!) { recordRuns(input: $input) { changed } }"""
    batch = sample_run("run-b-many")
    batch["edges"].append({"kind": "INFLUENCED", "source": "run-b:obs", "target": "run-b-many:d2"})
    body = await gql(w.b, runs, {"input": [sample_run("run-b-ok"), batch]})
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["message"].startswith("input[1]: ")
    assert "run-b:obs" in body["errors"][0]["message"]
    found = await gql(w.b, '{ run(id: "run-b-ok") { runId } }')
    assert found["data"]["run"] is None, found


@case("recordRun")
async def _record(w: World) -> None:
    # B may use the same run id: it is B's own run; A's run is untouched (checked at the end).
    mine = await gql(w.b, RECORD, {"input": sample_run("run-a", answer="Lyon")})
    assert "errors" not in mine, mine
    # An edge from B's batch into A's node: that end does not exist for B.
    batch = sample_run("run-b-own")
    # (run-b is A's alone: B never records a run of that id.)
    batch["edges"].append({"kind": "INFLUENCED", "source": "run-b:obs", "target": "run-b-own:d2"})
    body = await gql(w.b, RECORD, {"input": batch})
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    assert "run-b:obs" in body["errors"][0]["message"]


@case("runs")
async def _runs(w: World) -> None:
    data = await ok(w.b, "{ runs(first: 100) { totalCount edges { node { runId } } } }")
    listed = [e["node"]["runId"] for e in data["runs"]["edges"]]
    assert "run-b" not in listed and data["runs"]["totalCount"] == len(listed)
    data = await ok(
        w.b, '{ runs(filter: {agentId: "agent-x", toolName: "weather"}) { totalCount } }'
    )
    assert data["runs"]["totalCount"] <= 1  # at most B's own run-a


@case("session")
async def _session(w: World) -> None:
    await nothing(w, "session", '{ session(id: "sess-a") { runCount } }')


@case("sessions")
async def _sessions(w: World) -> None:
    data = await ok(w.b, "{ sessions(first: 100) { totalCount edges { node { sessionId } } } }")
    assert "sess-a" not in str(data)


@case("search")
async def _search(w: World) -> None:
    data = await ok(
        w.b, '{ search(text: "weather capital", first: 100) { edges { node { nodeId } } } }'
    )
    assert "run-b:" not in str(data)
    await refused(w, '{ search(text: "weather", runId: "run-b") { totalCount } }')
    await refused(w, '{ search(text: "weather", sessionId: "sess-a") { totalCount } }')


@case("runsRollup")
async def _runs_rollup(w: World) -> None:
    data = await ok(w.b, '{ runsRollup(filter: {sessionId: "sess-a"}) { total { runs nodes } } }')
    assert data["runsRollup"]["total"] == {"runs": 0, "nodes": 0}


@case("addRunLabel")
async def _add_run_label(w: World) -> None:
    await refused(w, 'mutation { addRunLabel(runId: "run-b", label: "mine") { labels } }')
    assert (await ok(w.a, '{ run(id: "run-b") { labels } }'))["run"]["labels"] == []


@case("removeRunLabel")
async def _remove_run_label(w: World) -> None:
    await ok(w.a, 'mutation { addRunLabel(runId: "run-b", label: "keep") { labels } }')
    await refused(w, 'mutation { removeRunLabel(runId: "run-b", label: "keep") { labels } }')
    assert (await ok(w.a, '{ run(id: "run-b") { labels } }'))["run"]["labels"] == ["keep"]
    await ok(w.a, 'mutation { removeRunLabel(runId: "run-b", label: "keep") { labels } }')


@case("pruneRuns")
async def _prune(w: World) -> None:
    data = await ok(
        w.b,
        'mutation { pruneRuns(olderThan: "2100-01-01T00:00:00Z", dryRun: false) { runs } }',
    )
    assert data["pruneRuns"]["runs"] == 1  # only B's own run-a


@case("linkRun")
async def _link_run(w: World) -> None:
    body = await gql(w.b, RECORD, {"input": sample_run("run-b-link")})
    assert "errors" not in body, body
    link = (
        "mutation($k: RunLinkKind!, $r: String!, $t: String!) {"
        " linkRun(kind: $k, runId: $r, target: $t) { created } }"
    )
    # B's run to A's task, agent, run: those ends do not exist for B.
    await refused(w, link, k="PART_OF", r="run-b-link", t=w.ids["t1"])
    await refused(w, link, k="ATTRIBUTED_TO", r="run-b-link", t=w.ids["human"])
    await refused(w, link, k="INFORMED_BY", r="run-b-link", t="run-b")
    # A's run: not B's to link.
    await refused(w, link, k="INFORMED_BY", r="run-b", t="run-b-link")


@case("unlinkRun")
async def _unlink_run(w: World) -> None:
    await ok(
        w.a, 'mutation { linkRun(kind: INFORMED_BY, runId: "run-b", target: "run-a") { created } }'
    )
    gone = await ok(
        w.b,
        'mutation { unlinkRun(kind: INFORMED_BY, runId: "run-b", target: "run-a") { removed } }',
    )
    assert gone["unlinkRun"]["removed"] is False
    still = await ok(
        w.a, '{ ancestors(nodeId: "run-b", edgeKinds: [INFORMED_BY]) { reachedRuns } }'
    )
    assert still["ancestors"]["reachedRuns"] == ["run-a"]


@case("createTask")
async def _create(w: World) -> None:
    await ok(
        w.b,
        'mutation($ns: String!) { createTask(input: {namespace: $ns, title: "B\'s"}) { id } }',
        ns=NS,
    )


@case("updateTask")
async def _update(w: World) -> None:
    await refused(
        w,
        'mutation($id: String!) { updateTask(id: $id, input: {title: "hijacked"}) { title } }',
        id=w.ids["t1"],
    )


@case("closeTask")
async def _close(w: World) -> None:
    await refused(
        w,
        'mutation($id: String!) { closeTask(id: $id, reason: "mine now") { status } }',
        id=w.ids["t2"],
    )


@case("addTaskEdge")
async def _add_edge(w: World) -> None:
    await refused(
        w,
        "mutation($s: String!, $t: String!) { addTaskEdge(kind: BLOCKED_BY, source: $s,"
        " target: $t) { created } }",
        s=w.ids["t2"],
        t=w.ids["t1"],
    )


@case("removeTaskEdge")
async def _remove_edge(w: World) -> None:
    body = await gql(
        w.b,
        "mutation($s: String!, $t: String!) { removeTaskEdge(kind: BLOCKED_BY, source: $s,"
        " target: $t) { removed } }",
        {"s": w.ids["t1"], "t": w.ids["t2"]},
    )
    # Removing a missing edge is a no-op; for B, A's edge is missing.
    if body.get("errors"):
        assert error_codes(body) == ["NOT_FOUND"]
    else:
        assert body["data"]["removeTaskEdge"]["removed"] is False


@case("addTaskLabel")
async def _add_label(w: World) -> None:
    await refused(
        w,
        'mutation($t: String!) { addTaskLabel(taskId: $t, label: "pwned") { nativeId } }',
        t=w.ids["t1"],
    )


@case("removeTaskLabel")
async def _remove_label(w: World) -> None:
    await refused(
        w,
        'mutation($t: String!) { removeTaskLabel(taskId: $t, label: "secret") { nativeId } }',
        t=w.ids["t1"],
    )


@case("addComment")
async def _comment(w: World) -> None:
    await refused(
        w,
        "mutation($t: String!, $a: String!) { addComment(taskId: $t, agentId: $a,"
        ' body: "intrusion") { nativeId } }',
        t=w.ids["t1"],
        a=w.ids["human"],
    )


@case("createHumanAgent")
async def _create_human(w: World) -> None:
    await ok(w.b, 'mutation { createHumanAgent(input: {namespace: "team", name: "Bo"}) { id } }')


@case("createMlAgent")
async def _create_ml(w: World) -> None:
    await ok(
        w.b,
        'mutation { createMlAgent(input: {namespace: "team", role: REVIEWER, provider: "openai",'
        ' model: "gpt-4o"}) { id } }',
    )


@case("createSoftwareAgent")
async def _create_software(w: World) -> None:
    await ok(
        w.b, 'mutation { createSoftwareAgent(input: {namespace: "team", name: "bot"}) { id } }'
    )


@case("startActivity")
async def _start(w: World) -> None:
    # A's agent does not exist for B.
    await refused(
        w,
        'mutation($a: String!) { startActivity(input: {agentId: $a, namespace: "team"})'
        " { activity { id } } }",
        a=w.ids["human"],
    )


@case("endActivity")
async def _end(w: World) -> None:
    await refused(
        w, "mutation($id: String!) { endActivity(id: $id) { endedAt } }", id=w.ids["activity"]
    )


# ---- governance ---------------------------------------------------------------------------


@case("agentVersion")
async def _agent_version(w: World) -> None:
    await nothing(w, "agentVersion", '{ agentVersion(id: "agent:ag@1.0.0") { id } }')


@case("agentVersions")
async def _agent_versions(w: World) -> None:
    data = await ok(w.b, '{ agentVersions(agent: "ag") { edges { node { id } } } }')
    assert data["agentVersions"]["edges"] == []


@case("agentVersionDiff")
async def _agent_version_diff(w: World) -> None:
    await refused(
        w, '{ agentVersionDiff(id: "agent:ag@1.0.0", otherId: "agent:ag@1.1.0") { identical } }'
    )


@case("promptVersion")
async def _prompt_version(w: World) -> None:
    await nothing(w, "promptVersion", '{ promptVersion(id: "prompt:pr@1.0.0") { id } }')
    await nothing(w, "promptVersion", '{ promptVersion(prompt: "pr", label: "production") { id } }')


@case("promptVersions")
async def _prompt_versions(w: World) -> None:
    data = await ok(w.b, '{ promptVersions(prompt: "pr") { edges { node { id } } } }')
    assert data["promptVersions"]["edges"] == []


@case("promptVersionDiff")
async def _prompt_version_diff(w: World) -> None:
    await refused(
        w, '{ promptVersionDiff(id: "prompt:pr@1.0.0", otherId: "prompt:pr@1.0.0") { identical } }'
    )


@case("evalSuite")
async def _eval_suite(w: World) -> None:
    await nothing(w, "evalSuite", '{ evalSuite(id: "suite-a") { id } }')


@case("evalRun")
async def _eval_run(w: World) -> None:
    await nothing(w, "evalRun", '{ evalRun(id: "eval-a") { id } }')


@case("environment")
async def _environment(w: World) -> None:
    await nothing(w, "environment", '{ environment(name: "prod") { name } }')


@case("deployments")
async def _deployments(w: World) -> None:
    await refused(w, '{ deployments(environment: "prod") { edges { node { id } } } }')


@case("gateCheck")
async def _gate_check(w: World) -> None:
    await refused(w, '{ gateCheck(environment: "prod", versionId: "agent:ag@1.0.0") { passed } }')


@case("evalDrift")
async def _eval_drift(w: World) -> None:
    await refused(w, '{ evalDrift(runId: "eval-a2", baselineRunId: "eval-a") { severity } }')


@case("versionUsage")
async def _version_usage(w: World) -> None:
    await refused(w, '{ versionUsage(versionId: "agent:ag@1.0.0") { usage { runs } } }')


@case("auditEvents")
async def _audit_events(w: World) -> None:
    # A's events (A promoted, labelled, linked) are not B's; B's own refused calls wrote none.
    for action in ("promote", "setPromptLabel", "linkVersions", "rollback"):
        data = await ok(
            w.b,
            "query($a: String!) { auditEvents(filter: {action: $a}) { edges { node { seq } } } }",
            a=action,
        )
        assert data["auditEvents"]["edges"] == [], action


@case("publishAgentVersion")
async def _publish_agent_version(w: World) -> None:
    # B's own agent "ag" (other content than A's 1.0.0): B's version, A's untouched.
    data = await ok(
        w.b,
        'mutation { publishAgentVersion(input: {agent: "ag", version: "1.0.0", model: "x",'
        ' provider: "y"}) { created version { supersedesId } } }',
    )
    assert data["publishAgentVersion"] == {"created": True, "version": {"supersedesId": None}}


@case("publishPromptVersion")
async def _publish_prompt_version(w: World) -> None:
    data = await ok(
        w.b,
        'mutation { publishPromptVersion(input: {prompt: "pr", version: "0.1.0", template: "b"})'
        " { created } }",
    )
    assert data["publishPromptVersion"]["created"] is True


@case("setPromptLabel")
async def _set_prompt_label(w: World) -> None:
    await refused(
        w,
        'mutation { setPromptLabel(prompt: "pr", label: "production",'
        ' versionId: "prompt:pr@1.0.0") { label } }',
    )


@case("createEvalSuite")
async def _create_eval_suite(w: World) -> None:
    await ok(
        w.b,
        'mutation { createEvalSuite(input: {id: "suite-a", name: "b", cases: [{id: "c1",'
        ' input: "b"}]}) { id } }',
    )


@case("recordEvalRun")
async def _record_eval_run(w: World) -> None:
    await refused(
        w,
        'mutation { recordEvalRun(input: {id: "eval-b", suiteId: "suite-a",'
        ' versionId: "agent:ag@1.1.0", results: [{caseId: "c1", passed: true, score: 1}]})'
        " { id } }",
    )


@case("configureEnvironment")
async def _configure_environment(w: World) -> None:
    data = await ok(
        w.b,
        'mutation { configureEnvironment(input: {name: "prod", minPassRate: 0}) '
        "{ policy { minPassRate } } }",
    )
    assert data["configureEnvironment"]["policy"]["minPassRate"] == 0


@case("promote")
async def _promote(w: World) -> None:
    await refused(
        w,
        'mutation($a: String!) { promote(input: {environment: "prod",'
        ' versionId: "agent:ag@1.1.0", actorId: $a, reason: "x"}) { id } }',
        a=w.ids["human"],
    )


@case("rollback")
async def _rollback(w: World) -> None:
    await refused(
        w,
        'mutation($a: String!) { rollback(input: {environment: "prod", actorId: $a,'
        ' reason: "x"}) { id } }',
        a=w.ids["human"],
    )


@case("linkVersions")
async def _link_versions(w: World) -> None:
    await refused(
        w, 'mutation { linkVersions(nodeId: "run-b", agentVersionId: "agent:ag@1.1.0") { nodeId } }'
    )


# ---- the suite ---------------------------------------------------------------------------


def test_every_root_field_has_an_isolation_case() -> None:
    schema = build_schema()._schema
    fields = set(schema.query_type.fields) if schema.query_type else set()
    if schema.mutation_type:
        fields |= set(schema.mutation_type.fields)
    missing = sorted(fields - TENANT_FREE - set(CASES))
    assert not missing, f"root fields without a tenant-isolation case: {missing}"


async def test_another_tenant_never_reaches_the_first_tenants_data(world: World) -> None:
    failures: list[str] = []
    for field, check in CASES.items():
        try:
            await check(world)
        except AssertionError as exc:
            failures.append(f"{field}: {str(exc)[:400]}")
    assert not failures, "\n".join(failures)

    # Tenant A's data is exactly as A left it.
    a = world.a
    data = await ok(
        a,
        "query($t1: String!, $t2: String!) {"
        " t1: task(id: $t1) { title status labels }"
        " t2: task(id: $t2) { title status }"
        " comments: taskComments(taskId: $t1) { edges { node { body } } } }",
        t1=world.ids["t1"],
        t2=world.ids["t2"],
    )
    assert data["t1"] == {"title": "task t1", "status": "OPEN", "labels": ["secret"]}
    assert data["t2"] == {"title": "task t2", "status": "OPEN"}
    assert [e["node"]["body"] for e in data["comments"]["edges"]] == ["for A only"]
    edges = await ok(
        a,
        "query($t: String!) { taskEdges(taskId: $t) { edges { node { kind } } } }",
        t=world.ids["t1"],
    )
    assert [e["node"]["kind"] for e in edges["taskEdges"]["edges"]] == ["BLOCKED_BY"]
    verified = await ok(a, '{ verifyRun(runId: "run-a") { ok } r: run(id: "run-a") { status } }')
    assert verified["verifyRun"]["ok"] is True and verified["r"]["status"] == "SUCCEEDED"
    answer = await ok(a, '{ runNode(id: "run-a:d2") { text } }')
    assert answer["runNode"]["text"] == "Answer Paris"
    activity = await ok(
        a, "query($id: String!) { activity(id: $id) { endedAt } }", id=world.ids["activity"]
    )
    assert activity["activity"]["endedAt"] is None
    governed = await ok(
        a,
        '{ promptVersion(prompt: "pr", label: "production") { id }'
        ' deployments(environment: "prod") { edges { node { versionId } } }'
        ' environment(name: "prod") { policy { minPassRate } }'
        ' agentVersions(agent: "ag") { edges { node { id } } } }',
    )
    assert governed["promptVersion"] == {"id": "prompt:pr@1.0.0"}
    assert [e["node"]["versionId"] for e in governed["deployments"]["edges"]] == [
        "agent:ag@1.1.0",
        "agent:ag@1.0.0",
    ]
    assert governed["environment"]["policy"]["minPassRate"] == 0.9
    assert len(governed["agentVersions"]["edges"]) == 2
