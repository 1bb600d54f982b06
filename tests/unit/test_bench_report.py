"""The benchmark's report: target lines say by how much a target is missed; tables render."""

from __future__ import annotations

from bench.report import Report, Section, Table, Target
from bench.sections import ingest, traversal
from bench.stats import Summary, percentile

# A report's header fields, as bench/__main__ fills them (the peer test adds "peer").
META = {
    "date": "d",
    "engine": "e",
    "machine": "m",
    "command": "c",
    "size": "s",
    "load_average_start": "0",
}


def test_target_lines() -> None:
    assert Target("ingest a/b", ">=", 0.8, 0.93).line() == "PASS  ingest a/b >= 0.80: 0.93"
    miss = Target("ingest a/b", ">=", 0.8, 0.6).line()
    assert miss.startswith("FAIL  ingest a/b >= 0.80: 0.60 - misses by 0.20 (25% below")
    over = Target("growth", "<=", 200.0, 250.0, " MB", note="1M elements").line()
    assert "misses by 50.00 MB (25% above the target) [1M elements]" in over
    skipped = Target("traversal", "<=", 1.5, None, reason="no runs API").line()
    assert skipped == "N/M   traversal <= 1.50: not measured: no runs API"


def test_percentiles_interpolate() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.5
    assert round(percentile(values, 99), 2) == 99.01
    s = Summary.of([0.001, 0.002, 0.003])
    assert (s.samples, s.median) == (3, 2.0)


def test_section_tables_render_with_their_headers() -> None:
    s = Summary.of([0.010, 0.012, 0.020])
    sec = traversal._report(
        Section("traversal"), [traversal.OpResult("ancestors d1", s, s, 3.0, 1.0, 1.0)], 10, 20
    )
    rate = ingest.Rate(100, 1.0, [0.5, 0.5])
    service = ingest.Rate(200, 1.0, [0.25, 0.25, 0.25, 0.25])
    sec_ingest = ingest._report(Section("ingest"), rate, rate, rate, service, None)
    report = Report(meta=META, sections=[sec_ingest, sec])
    text = report.render()
    assert "PASS  traversal median ratio (worst operation) <= 2.00: 1.00" in text
    assert "PASS  ingest a/b >= 0.90: 1.00" in text
    assert "FAIL  ingest a/c >= 10.00: 1.00" in text
    assert "(d) provgraph service, in process" in text
    assert report.as_json()["sections"]["ingest"]["ratio_d_b"] == 2.0
    assert report.as_json()["sections"]["traversal"]["operations"][0]["ratio_median"] == 1.0


def test_server_cpu_per_small_answer_is_a_target_line() -> None:
    s = Summary.of([0.002, 0.003])
    sec = Section("traversal")
    traversal._cpu_report(
        sec,
        [
            traversal.ServerCpu("{ __typename }", 200, 0.4, s),
            traversal.ServerCpu("descendants d5, 49 nodes", 200, 3.5, s),
        ],
    )
    lines = [t.line() for t in sec.targets]
    assert lines == [
        "FAIL  server CPU per 49-node descendants d5 request <= 3.00 ms: 3.50 ms - misses by "
        "0.50 ms (17% above the target) [descendants d5, 49 nodes; 200 requests; "
        "{ __typename }: 0.40 ms]"
    ]
    assert "descendants d5, 49 nodes" in sec.tables[0].render()
    missing = Section("traversal")
    traversal._cpu_report(missing, [])
    assert missing.targets[0].line().startswith("N/M   server CPU per 49-node descendants d5")


def test_table_aligns_columns() -> None:
    t = Table("T", ["name", "value"])
    t.add("a", 1.5)
    t.add("longer", 1234.0)
    lines = t.render().splitlines()
    assert lines[1] == "name    value"
    assert lines[3] == "a        1.50"
    assert lines[4] == "longer  1,234"
