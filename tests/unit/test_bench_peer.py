"""The bench's peer part without a peer: its options, the traces it sends, its ratios and
targets, the report it prints. Nothing here installs, starts or reaches Phoenix."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from bench.__main__ import build_parser, selected_parts
from bench.peers import phoenix
from bench.report import Report, Section
from bench.sections import SECTIONS
from bench.sections.peer import (
    MEDIAN_TARGET,
    P99_TARGET,
    SPEED_TARGET,
    Figures,
    Ingest,
    Side,
    Walk,
    batches,
    peer_targets,
    report,
    sample,
    trace_of,
    workload,
)
from bench.workload import make_run
from tests.unit.test_bench_report import META


def test_peer_options_and_their_defaults() -> None:
    args = build_parser().parse_args(["--peer", "phoenix"])
    assert (args.peer, args.peer_spans, args.peer_batch, args.only) == (
        "phoenix",
        100_000,
        512,
        None,
    )
    assert build_parser().parse_args(["--peer-spans", "5000"]).peer_spans == 5_000
    assert build_parser().parse_args([]).peer is None
    help_text = " ".join(build_parser().format_help().split())
    assert "--peer-spans N" in help_text and "(default: 100000;" in help_text
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--peer", "jaeger"])


def test_the_peer_part_runs_alone_or_after_the_named_parts() -> None:
    assert selected_parts(None, None) == list(SECTIONS)
    assert selected_parts(None, "phoenix") == ["peer"]
    assert selected_parts("otlp,ingest", "phoenix") == ["ingest", "otlp", "peer"]
    assert selected_parts("traversal", None) == ["traversal"]
    with pytest.raises(ValueError, match="unknown part"):
        selected_parts("ingest,peer", None)  # only --peer asks for the peer part
    with pytest.raises(ValueError, match="no part"):
        selected_parts(" , ", None)


def test_a_trace_is_the_otlp_body_with_the_ids_both_sides_are_asked_for() -> None:
    run = make_run(7, 0, prefix="peer-")
    trace = trace_of(run)
    results = sum(1 for n in run.nodes if n.kind == "TOOL_RESULT")
    assert trace.spans == 1 + len(run.nodes) - results
    assert len(trace.trace_id) == 32 and len(trace.root_span) == 16
    assert trace.root_span != trace.last_span
    assert trace.node_id(trace.root_span) == f"otel-{trace.trace_id}-{trace.root_span}"
    traces = workload(7, 200)
    assert sum(t.spans for t in traces) >= 200
    assert sum(t.spans for t in traces[:-1]) < 200


def test_requests_carry_whole_traces_up_to_the_batch_size() -> None:
    traces = workload(7, 2_000)
    bodies = batches(traces, 512)
    assert b"".join(bodies) == b"".join(t.body for t in traces)
    merged = ExportTraceServiceRequest.FromString(bodies[0])
    spans = sum(len(ss.spans) for rs in merged.resource_spans for ss in rs.scope_spans)
    held = 0
    for t in traces:  # the first request: the traces that fit in 512 spans
        if held + t.spans > 512:
            break
        held += t.spans
    assert 0 < spans == held <= 512
    assert len(batches(traces, 1)) == len(traces)  # a trace is never split
    assert batches(traces, 10**9) == [b"".join(t.body for t in traces)]


def test_samples_are_distinct_when_there_are_enough_traces() -> None:
    traces = workload(7, 300)
    picked = sample(traces, 4, 7)
    assert len({t.trace_id for t in picked}) == 4
    assert picked == sample(traces, 4, 7)
    assert len(sample(traces, 3 * len(traces), 7)) == 3 * len(traces)


def _ingest(path: str, seconds: float, spans: int = 1_000) -> Ingest:
    return Ingest(path, spans, 3_000, 20, seconds, seconds, 0, {"x": 1.0}, {"x": 100 * 2**20})


def _figures(
    pg_seconds: float, peer_seconds: float, pg_ms: list[float], peer_ms: list[float] | None
) -> Figures:
    pg = Side("provgraph", otlp=_ingest("provgraph OTLP", pg_seconds))
    pg.walk = Walk([m / 1000 for m in pg_ms], [10] * len(pg_ms), {"server": 0.01})
    other = Side("Arize Phoenix x", otlp=_ingest("Phoenix OTLP", peer_seconds))
    if peer_ms is not None:
        other.walk = Walk([m / 1000 for m in peer_ms], [8] * len(peer_ms), {"phoenix": 0.02})
    return Figures("Phoenix", "Arize Phoenix x", 1_000, 20, 3_000, 512, 2, pg, other)


def test_targets_are_ratios_provgraph_over_the_peer() -> None:
    fig = _figures(1.0, 30.0, [1.0] * 100, [10.0] * 100)
    speed, median, p99 = peer_targets(fig)
    assert (speed.op, speed.threshold, median.op, median.threshold, p99.op, p99.threshold) == (
        ">=",
        SPEED_TARGET,
        "<=",
        MEDIAN_TARGET,
        "<=",
        P99_TARGET,
    )
    assert [speed.actual, median.actual, p99.actual] == pytest.approx([30, 0.1, 0.1])
    assert [t.passed for t in (speed, median, p99)] == [True, True, True]
    slow = peer_targets(_figures(1.0, 10.0, [5.0] * 100, [10.0] * 100))
    assert [t.passed for t in slow] == [False, False, False]
    assert slow[0].line().startswith("FAIL  peer: spans/s until queryable, provgraph OTLP")


def test_a_missing_peer_is_not_measured_with_its_reason() -> None:
    fig = _figures(1.0, 1.0, [1.0] * 10, None)
    fig.other.otlp = None
    fig.reason = "pip install arize-phoenix==x failed (exit 1): no network"
    targets = peer_targets(fig)
    assert all(t.actual is None for t in targets)
    assert targets[0].line().endswith("not measured: " + fig.reason)
    sec = report(Section("peer"), fig, 10)
    text = Report(
        meta={**META, "peer": "phoenix, 1,000 spans each side"},
        sections=[sec],
    ).render()
    assert "peer:    phoenix, 1,000 spans each side" in text
    assert "not measured: peer/Phoenix: pip install arize-phoenix==x failed" in text
    summary = sec.tables[0].render().splitlines()
    median_row = next(line for line in summary if line.startswith("descendants d5 median ms"))
    assert median_row.split()[-3:] == ["1.00", "-", "-"]


def test_the_report_prints_the_side_by_side_table_and_keeps_json() -> None:
    sec = report(Section("peer"), _figures(2.0, 50.0, [2.0] * 50, [20.0] * 50), 50)
    summary = sec.tables[0].render()
    assert "spans/s until queryable (OTLP)" in summary
    rate_row = next(line for line in summary.splitlines() if line.startswith("spans/s"))
    assert rate_row.split()[-3:] == ["500.0", "20.00", "25.00"]
    assert [t.passed for t in sec.targets] == [True, True, True]
    assert sec.data["other"]["descendants"]["ms"]["median"] == 20.0
    assert sec.data["provgraph"]["otlp"]["spans_per_second"] == 500.0


def test_phoenix_is_installed_under_the_cache_and_started_with_its_own_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    target = phoenix.venv_dir()
    assert target == tmp_path / "provgraph" / "bench-peers" / f"phoenix-{phoenix.VERSION}"
    target.mkdir(parents=True)
    (target / ".installed").write_text("done\n")
    assert phoenix.ensure_installed() == target  # present: reused, nothing run
    monkeypatch.setenv("PHOENIX_SQL_DATABASE_URL", "postgresql://elsewhere/db")
    env = phoenix.PhoenixServer(target, tmp_path / "run").env()
    assert "PHOENIX_SQL_DATABASE_URL" not in env
    assert env["PHOENIX_WORKING_DIR"] == str(tmp_path / "run" / "phoenix")
    assert env["PHOENIX_TELEMETRY_ENABLED"] == "false"
    assert env["PHOENIX_PORT"] != env["PHOENIX_GRPC_PORT"]


def test_a_failed_install_step_says_why_with_its_last_output() -> None:
    out = io.StringIO()
    failing = [sys.executable, "-c", "print('no network'); raise SystemExit(3)"]
    with pytest.raises(
        phoenix.PeerUnavailable, match=r"pip install x failed \(exit 3\): no network"
    ):
        phoenix._run(failing, "pip install x", out)
    assert "no network" in out.getvalue()  # the progress was shown as it came
