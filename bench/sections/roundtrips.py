"""Round trips: engine queries per GraphQL request for nested run queries, at two run sizes.

Measured in-process (ASGI app on the same engine): the executor counts every query it sends, so
the count before and after one request is that request's round trips. No N+1 means the count
does not grow with the run's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.context import BenchContext
from bench.gql import gql
from bench.inprocess import inprocess
from bench.probe import missing, root_fields
from bench.raw import RawWriter
from bench.report import Section, Table, Target
from bench.workload import WRun, make_run


@dataclass(frozen=True)
class Nested:
    name: str
    fields: tuple[str, ...]  # root fields it needs
    query: str

    def variables(self, run: WRun) -> dict[str, Any]:
        return {"id": run.id, "first": len(run.nodes) + 1}


NESTED: tuple[Nested, ...] = (
    Nested(
        "run -> nodes -> in/out edges",
        ("run",),
        """
query RunNodesEdges($id: String!, $first: Int!) {
  run(id: $id) {
    id status
    nodes(first: $first) {
      edges {
        node { id kind step incoming { kind source target } outgoing { kind source target } }
      }
    }
  }
}
""",
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
        "Round trips: engine queries per GraphQL request (in-process executor count)",
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
            counts = []
            for r in test_runs:
                before = local.executor.stats.queries
                data = await gql(local.client, nested.query, nested.variables(r))
                counts.append(local.executor.stats.queries - before)
                _check_complete(nested, data, r)
            constant = len(set(counts)) == 1
            table.add(nested.name, *counts, "yes" if constant else "NO")
            rows.append(
                {
                    "name": nested.name,
                    "nodes": [len(r.nodes) for r in test_runs],
                    "queries": counts,
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


def _check_complete(nested: Nested, data: dict[str, Any], run: WRun) -> None:
    """The answer really holds the whole run (a cheap count would prove nothing)."""
    got = data.get("run")
    if got is None:
        raise RuntimeError(f"{nested.name}: run {run.id} not found")
