"""`provgraph export` and `provgraph import` against a served provgraph, with keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.engines import EngineTarget
from tests.otlp_fixtures import GENAI_TRACE, json_request
from tests.runs_fixtures import RECORD, sample_run
from tests.served import provgraph, served, stored_runs


def _key(env: dict[str, str], tenant: str) -> str:
    made = provgraph(env, "keys", "create", "--tenant", tenant, "--format", "json")
    assert made.returncode == 0, made.stderr
    token: str = json.loads(made.stdout)["token"]
    return token


@pytest.mark.slow
def test_export_import_round_trip_between_tenants(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(
        tmp_path / "data", require_api_keys="true", engine=engine_target.settings_engine
    ) as server:
        env = server.env
        src, dst = _key(env, "src"), _key(env, "dst")
        for run_id in ("r1", "r2"):
            batch = sample_run(run_id)
            batch["run"]["sessionId"] = "conv"
            answer = httpx.post(
                f"{server.url}/graphql",
                json={"query": RECORD, "variables": {"input": batch}},
                headers={"Authorization": f"Bearer {src}"},
                timeout=30,
            ).json()
            assert "errors" not in answer, answer
        out = tmp_path / "session.jsonl"
        common = ("--url", server.url, "--no-progress")
        done = provgraph(
            env, "export", "--session-id", "conv", "-o", str(out), "--key", src, *common
        )
        assert done.returncode == 0, done.stderr
        assert [json.loads(line)["run"]["id"] for line in out.read_text().splitlines()] == [
            "r1",
            "r2",
        ]

        # Into another tenant: every element new; again: nothing changes (idempotent).
        first = provgraph(env, "import", str(out), "--key", dst, *common)
        assert first.returncode == 0, first.stderr
        assert "0 errors" in first.stderr and "0 batches already there" in first.stderr
        again = provgraph(env, "import", str(out), "--key", dst, *common)
        assert again.returncode == 0, again.stderr
        assert "(0 new nodes and edges, 2 batches already there)" in again.stderr
        back = tmp_path / "back.jsonl"
        done = provgraph(
            env, "export", "--session-id", "conv", "-o", str(back), "--key", dst, *common
        )
        assert done.returncode == 0, done.stderr
        assert back.read_text() == out.read_text()

        # PROV-JSON of a run imports as the same run (same content: nothing changes).
        prov = tmp_path / "r1.prov.json"
        done = provgraph(
            env,
            "export",
            "--run-id",
            "r1",
            "--format",
            "prov-json",
            "-o",
            str(prov),
            "--key",
            dst,
            *common,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(prov.read_text())["prefix"]["pg"] == "https://provgraph.dev/ns#"
        same = provgraph(env, "import", str(prov), "--key", dst, *common)
        assert same.returncode == 0, same.stderr
        assert "1 batches already there" in same.stderr

        # OTLP JSON goes to /v1/traces.
        traces = tmp_path / "traces.json"
        traces.write_bytes(json_request(*GENAI_TRACE))
        sent = provgraph(env, "import", str(traces), "--key", dst, *common)
        assert sent.returncode == 0, sent.stderr

        # Bad lines name file:line; skip goes on, stop stops; exit code 1 either way.
        bad = tmp_path / "bad.jsonl"
        good = sample_run("r9")
        bad.write_text(
            "\n".join(
                [
                    "{not json",
                    json.dumps({"run": {"id": "r8", "status": "NOPE"}}),
                    json.dumps(good),
                ]
            )
            + "\n"
        )
        skipped = provgraph(env, "import", str(bad), "--on-error", "skip", "--key", dst, *common)
        assert skipped.returncode == 1
        assert f"{bad}:1:" in skipped.stderr and f"{bad}:2: BAD_USER_INPUT" in skipped.stderr
        assert "2 errors" in skipped.stderr
        found = httpx.post(
            f"{server.url}/graphql",
            json={"query": '{ run(id: "r9") { nodeCount } }'},
            headers={"Authorization": f"Bearer {dst}"},
            timeout=30,
        ).json()
        assert found["data"]["run"]["nodeCount"] > 0
        stopped = provgraph(env, "import", str(bad), "--key", dst, *common)
        assert stopped.returncode == 1 and "1 errors" in stopped.stderr

        refused = provgraph(env, "export", "--run-id", "r1", "--key", "pgk_wrong", *common)
        assert refused.returncode == 1 and "UNAUTHENTICATED" in refused.stderr


def _scrape(url: str) -> dict[tuple[str, str], float]:
    """provgraph_graphql_requests_total by (operation, code)."""
    text = httpx.get(f"{url}/metrics", timeout=30).text
    out: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "provgraph_graphql_requests_total":
                out[(s.labels["operation"], s.labels["code"])] = s.value
    return out


@pytest.mark.slow
def test_import_groups_runs_into_record_runs(tmp_path: Path, engine_target: EngineTarget) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(tmp_path / "data", engine=engine_target.settings_engine) as server:
        env, common = server.env, ("--url", server.url, "--no-progress")
        runs = [sample_run(f"g{i:02d}") for i in range(30)]
        per_run = 1 + len(runs[0]["nodes"]) + len(runs[0]["edges"])
        many = tmp_path / "many.jsonl"
        many.write_text("".join(json.dumps(r) + "\n" for r in runs))

        def requests(before: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
            after = _scrape(server.url)
            return {
                k: after[k] - before.get(k, 0.0)
                for k in after
                if k[0].startswith("Import") and after[k] != before.get(k, 0.0)
            }

        # 30 runs of 16 elements, at most 100 elements a request: 6 runs a request, 5 requests.
        before = _scrape(server.url)
        first = provgraph(env, "import", str(many), "--batch-elements", "100", *common)
        assert first.returncode == 0, first.stderr
        assert requests(before) == {("ImportRuns", "OK"): 5}
        assert (
            f"imported {30 * per_run} elements ({30 * (per_run - 1)} new nodes and edges, "
            "0 batches already there); 0 errors"
        ) in first.stderr
        stored = stored_runs(server.url)
        assert stored == {r["run"]["id"]: (len(r["nodes"]), len(r["edges"])) for r in runs}

        # Again (by default all 30 in one request), and a run twice in one request: nothing new.
        before = _scrape(server.url)
        again = provgraph(env, "import", str(many), str(many), *common)
        assert again.returncode == 0, again.stderr
        assert requests(before) == {("ImportRuns", "OK"): 1}
        assert "(0 new nodes and edges, 60 batches already there); 0 errors" in again.stderr
        assert stored_runs(server.url) == stored

        # A bad line among good ones: the group is refused (nothing written), then its lines
        # go one by one; skip names exactly the bad ones and imports the others.
        def bad_among_good(p: str) -> list[dict[str, Any]]:
            dangling = sample_run(f"{p}2")
            dangling["edges"].append(
                {"kind": "TRIGGERED", "source": f"{p}2:in", "target": "nowhere"}
            )
            bad = {"run": {"id": f"{p}-bad", "status": "NOPE"}}
            return [sample_run(f"{p}1"), bad, sample_run(f"{p}3"), dangling, sample_run(f"{p}5")]

        mixed = tmp_path / "mixed.jsonl"
        lines = bad_among_good("m")
        mixed.write_text("".join(json.dumps(r) + "\n" for r in lines))
        before = _scrape(server.url)
        skipped = provgraph(env, "import", str(mixed), "--on-error", "skip", *common)
        assert skipped.returncode == 1, skipped.stderr
        assert f"{mixed}:2: " in skipped.stderr
        assert f"{mixed}:4: BAD_USER_INPUT" in skipped.stderr
        for ok in (1, 3, 5):
            assert f"{mixed}:{ok}:" not in skipped.stderr
        assert (
            f"imported {3 * per_run} elements ({3 * (per_run - 1)} new nodes and edges, "
            "0 batches already there); 2 errors"
        ) in skipped.stderr
        counts = requests(before)
        assert counts[("ImportRun", "OK")] == 3 and sum(counts.values()) == 1 + 5
        assert sum(n for (op, code), n in counts.items() if op == "ImportRuns") == 1
        assert set(stored_runs(server.url)) == set(stored) | {"m1", "m3", "m5"}

        # stop: the lines before the bad one are imported, nothing after it.
        stop = tmp_path / "stop.jsonl"
        stop.write_text("".join(json.dumps(r) + "\n" for r in bad_among_good("s")))
        stopped = provgraph(env, "import", str(stop), *common)
        assert stopped.returncode == 1, stopped.stderr
        assert f"{stop}:2: " in stopped.stderr and "; 1 errors" in stopped.stderr
        assert f"{stop}:4:" not in stopped.stderr
        assert set(stored_runs(server.url)) == set(stored) | {"m1", "m3", "m5", "s1"}

        # Again: the good lines are there, the bad ones refused as before.
        again = provgraph(env, "import", str(mixed), "--on-error", "skip", *common)
        assert again.returncode == 1
        assert "(0 new nodes and edges, 3 batches already there); 2 errors" in again.stderr
