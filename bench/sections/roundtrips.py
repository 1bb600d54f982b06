"""Round trips: engine queries per GraphQL request for nested run queries, at two run sizes.

Measured in-process (ASGI app on the same engine): the executor counts every query it sends, so
the count before and after one request is that request's round trips. No N+1 means the count
does not grow with the run's size. A traversal's own queries, one per breadth-first level,
follow the graph's depth (at most the depth asked) and are shown apart ("+ N levels").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.context import BenchContext
from bench.gql import gql
from bench.inprocess import inprocess
from bench.probe import missing, root_fields
from bench.raw import RawWriter
from bench.report import Section, Table, Target
from bench.workload import WRun, make_run

MAX_PAGE = 500  # settings.max_page_size: one page of a connection


@dataclass(frozen=True)
class Nested:
    name: str
    fields: tuple[str, ...]  # root fields it needs
    query: str
    count: Callable[[dict[str, Any]], int]  # the run nodes the answer holds
    # Queries the answer needs whatever its nested fields: a breadth-first traversal runs one
    # per level, which follows the graph's depth (capped by the depth asked), not its size.
    levels: Callable[[dict[str, Any]], int] = lambda _: 0

    def variables(self, run: WRun) -> dict[str, Any]:
        output = next(n.id for n in reversed(run.nodes) if n.kind == "OUTPUT")
        return {"id": run.id, "first": min(len(run.nodes), MAX_PAGE), "node": output}


NESTED: tuple[Nested, ...] = (
    Nested(
        "run -> nodes(first) -> text, in/out edges, run -> agent",
        ("run",),
        """
query RunNodes($id: String!, $first: Int!) {
  run(id: $id) {
    runId status nodeCount
    nodes(first: $first) { edges { node {
      nodeId kind step text toolName
      incoming { edges { node { kind source } } } outgoing { edges { node { kind target } } }
      run { runId agent { nativeId } }
    } } }
  }
}
""",
        lambda d: len(d["run"]["nodes"]["edges"]),
    ),
    Nested(
        "runSubgraph (whole run) -> nodes -> text, run; edges",
        ("runSubgraph",),
        """
query WholeRun($id: String!) {
  runSubgraph(runId: $id) {
    run { runId }
    nodes { nodeId kind step text run { runId status } }
    edges { kind source target }
  }
}
""",
        lambda d: len(d["runSubgraph"]["nodes"]),
    ),
    Nested(
        "ancestors (output, depth 10) -> node text, run",
        ("ancestors",),
        """
query Influences($node: String!) {
  ancestors(nodeId: $node, depth: 10) {
    nodes { distance node { nodeId kind text run { runId } } }
    edges { kind source target }
    origin { nodeId text }
  }
}
""",
        lambda d: len(d["ancestors"]["nodes"]),
        # The level that finds nothing new is asked too, unless the depth cap ends it first.
        lambda d: min(max((n["distance"] for n in d["ancestors"]["nodes"]), default=0) + 1, 10),
    ),
)


async def run(ctx: BenchContext) -> Section:
    sec = Section("roundtrips")
    small, large = ctx.size.roundtrip_sizes
    writer = RawWriter(ctx.bench.engine, ctx.bench.tenant)
    test_runs = [
        make_run(ctx.seed + 4, i, prefix=f"rt{n}-", min_nodes=n)
        for i, n in enumerate((small, large))
    ]
    for r in test_runs:
        await writer.write_run(r)
    table = Table(
        "Round trips: engine queries per GraphQL request (executor count, in-process)",
        ["nested query", *(f"run of {len(r.nodes)} nodes" for r in test_runs), "constant"],
    )
    rows: list[dict[str, Any]] = []
    async with inprocess(ctx.bench) as local:
        fields = await root_fields(local.client)
        for nested in NESTED:
            reason = missing(fields, *nested.fields)
            if reason is not None:
                sec.skip(nested.name, reason)
                continue
            counts: list[int] = []
            levels: list[int] = []
            returned: list[int] = []
            for r in test_runs:
                before = local.executor.stats.queries
                variables = nested.variables(r)
                # Only the variables the document declares (GraphQL rejects unknown ones).
                used = {k: v for k, v in variables.items() if f"${k}" in nested.query}
                data = await gql(local.client, nested.query, used)
                levels.append(nested.levels(data))
                counts.append(local.executor.stats.queries - before - levels[-1])
                returned.append(nested.count(data))
            constant = len(set(counts)) == 1
            table.add(
                nested.name,
                *(
                    f"{q} queries{f' + {lv} levels' if lv else ''} / {n} nodes"
                    for q, lv, n in zip(counts, levels, returned, strict=True)
                ),
                "yes" if constant else "NO",
            )
            rows.append(
                {
                    "name": nested.name,
                    "nodes": [len(r.nodes) for r in test_runs],
                    "queries": counts,
                    "traversal_levels": levels,
                    "constant": constant,
                }
            )
    sec.tables.append(table)
    sec.data["queries"] = rows
    if rows:
        growing = [r for r in rows if not r["constant"]]
        worst = max(rows, key=lambda r: r["queries"][-1] - r["queries"][0])
        sec.targets.append(
            Target(
                "round trips growth from small to large run",
                "<=",
                0.0,
                float(worst["queries"][-1] - worst["queries"][0]),
                " queries",
                note=f"{worst['name']}; {len(rows) - len(growing)} of {len(rows)} constant",
            )
        )
    else:
        reason = sec.not_measured[0][1] if sec.not_measured else "no nested query ran"
        sec.targets.append(Target("round trips constant", "<=", 0.0, None, reason=reason))
    return sec
