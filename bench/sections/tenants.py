"""Tenants: one tenant's lists and lookups, alone and beside another tenant's many runs and tasks.

A server holds many tenants. A list of one tenant's runs, sessions or tasks, a roll-up, a
search, and a lookup by id should cost what that tenant holds, not what every tenant holds. The
bench tenant's requests (GraphQL over HTTP) are timed alone, then again after another tenant's
runs and tasks were written straight into the engine, and the ratio of the medians is the part's
figure. The other tenant's nodes are deleted afterwards, so the parts after this one see the
graph as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import islice
from typing import Any, LiteralString

import httpx

from bench.context import BenchContext
from bench.gql import gql, http_client
from bench.probe import missing, root_fields
from bench.raw import RawWriter
from bench.report import Section, Table, Target
from bench.stats import Summary
from bench.workload import runs as workload_runs
from provgraph.engine.connection import Engine

# The other tenant's nodes per label: at least this many, or the size's traversal graph.
MIN_OTHERS = 20_000
CHUNK = 20_000  # nodes per statement
OWN_RUNS = 20
OWN_TASKS = 50
TARGET_RATIO = 2.0
WARMUP = 10  # requests per operation before each timed round

OTHER_RUNS: LiteralString = """
UNWIND range($start, $end) AS i
CREATE (:Node:Run {tenant: $tenant, id: 'other-run-' + toString(i), kind: 'run',
  created_at: i, started_at: i, sort_at: i, status: 'succeeded', agent_id: 'other-agent',
  session_id: 'other-session-' + toString(i % 1000), node_count: 0, edge_count: 0,
  labels: [], meta_kv: [], tool_names: [], error_count: 0})
"""
OTHER_TASKS: LiteralString = """
UNWIND range($start, $end) AS i
CREATE (:Node:Task {tenant: $tenant, id: 'other-task-' + toString(i), kind: 'task',
  namespace: 'other', title: 'task ' + toString(i), description: '', type: 'task',
  status: 'open', priority: 2, phase: 'unscoped', labels: [], created_at: i, updated_at: i})
"""
DELETE_OTHERS: LiteralString = """
MATCH (n:Node {tenant: $tenant})
WHERE n.id IS NOT NULL
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
"""

CREATE_TASK = """
mutation Task($input: CreateTaskInput!) { createTask(input: $input) { nativeId } }
"""


@dataclass(frozen=True)
class Operation:
    name: str
    field: str  # the root field it needs
    query: str
    variables: dict[str, Any]


def _operations(run_id: str, task_id: str) -> list[Operation]:
    return [
        Operation(
            "runs(first: 10) with totalCount",
            "runs",
            "{ runs(first: 10) { totalCount edges { node { runId status } } } }",
            {},
        ),
        Operation("runsRollup", "runsRollup", "{ runsRollup { total { runs tokens } } }", {}),
        Operation(
            "sessions(first: 10) with totalCount",
            "sessions",
            "{ sessions(first: 10) { totalCount } }",
            {},
        ),
        Operation(
            "search(text) with totalCount",
            "search",
            '{ search(text: "decision", first: 10) { totalCount } }',
            {},
        ),
        Operation(
            "run(id)", "run", "query R($id: String!) { run(id: $id) { runId } }", {"id": run_id}
        ),
        Operation(
            "tasks(first: 10) with totalCount",
            "tasks",
            "{ tasks(first: 10) { totalCount edges { node { nativeId } } } }",
            {},
        ),
        Operation(
            "readyTasks(first: 10) with totalCount",
            "readyTasks",
            "{ readyTasks(first: 10) { totalCount } }",
            {},
        ),
        Operation(
            "task(id)",
            "task",
            "query T($id: String!) { task(id: $id) { nativeId } }",
            {"id": task_id},
        ),
    ]


async def _median(client: httpx.AsyncClient, op: Operation, samples: int) -> Summary:
    for _ in range(WARMUP):  # plans made, caches and the engine's JIT warm
        await gql(client, op.query, op.variables)
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        await gql(client, op.query, op.variables)
        times.append(time.perf_counter() - t0)
    return Summary.of(times)


async def _write_others(engine: Engine, tenant: str, count: int) -> float:
    t0 = time.perf_counter()
    async with engine.driver.session(database=engine.database) as session:
        for statement in (OTHER_RUNS, OTHER_TASKS):
            for start in range(0, count, CHUNK):
                end = min(count, start + CHUNK) - 1
                await (await session.run(statement, tenant=tenant, start=start, end=end)).consume()
    return time.perf_counter() - t0


async def _delete_others(engine: Engine, tenant: str) -> None:
    async with engine.driver.session(database=engine.database) as session:
        while True:
            result = await session.run(DELETE_OTHERS, tenant=tenant, limit=CHUNK)
            record = await result.single()
            if record is None or record["deleted"] == 0:
                return


async def run(ctx: BenchContext) -> Section:
    sec = Section("tenants")
    others = max(MIN_OTHERS, ctx.size.graph_nodes)
    other = f"{ctx.bench.tenant}-other"
    async with http_client(ctx.server.url) as client:
        fields = await root_fields(client)
        reason = missing(fields, "runs", "tasks", "createTask")
        if reason is not None:
            sec.skip("tenant lists", reason)
            return sec
        own = list(islice(workload_runs(ctx.seed + 90, prefix="tn-"), OWN_RUNS))
        writer = RawWriter(ctx.bench.engine, ctx.bench.tenant)
        await writer.write_runs(own)
        task_id = ""
        for i in range(OWN_TASKS):
            data = await gql(
                client,
                CREATE_TASK,
                {"input": {"namespace": "bench", "title": f"bench task {i}"}},
            )
            task_id = data["createTask"]["nativeId"]
        ops = [o for o in _operations(own[0].id, task_id) if o.field in fields]
        alone = {o.name: await _median(client, o, ctx.size.samples) for o in ops}
        try:  # a write cut short is deleted too
            seconds = await _write_others(ctx.bench.engine, other, others)
            beside = {o.name: await _median(client, o, ctx.size.samples) for o in ops}
        finally:
            await _delete_others(ctx.bench.engine, other)
    table = Table(
        f"One tenant's lists and lookups, alone and beside another tenant's {others:,} runs and "
        f"{others:,} tasks (ms, GraphQL over HTTP, {ctx.size.samples} samples each)",
        ["operation", "alone med", "alone p95", "beside med", "beside p95", "ratio med"],
    )
    worst: tuple[float, str] | None = None
    for o in ops:
        a, b = alone[o.name], beside[o.name]
        r = b.median / a.median
        table.add(o.name, a.median, a.p95, b.median, b.p95, r)
        if worst is None or r > worst[0]:
            worst = (r, o.name)
    sec.tables.append(table)
    sec.notes.append(
        f"the other tenant's {2 * others:,} nodes were written straight into the engine in "
        f"{seconds:.1f} s and deleted after the second round"
    )
    sec.data["others_per_label"] = others
    sec.data["operations"] = {
        o.name: {"alone": alone[o.name].median, "beside": beside[o.name].median} for o in ops
    }
    sec.targets.append(
        Target(
            "tenant lists: median beside another tenant's data / alone (worst operation)",
            "<=",
            TARGET_RATIO,
            worst[0] if worst else None,
            reason="no operation measured",
            note=f"{worst[1]}; {others:,} runs and {others:,} tasks beside" if worst else "",
        )
    )
    return sec
