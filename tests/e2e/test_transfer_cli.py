"""`provgraph export` and `provgraph import` against a served provgraph, with keys."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.engines import EngineTarget
from tests.otlp_fixtures import GENAI_TRACE, json_request
from tests.runs_fixtures import RECORD, sample_run
from tests.served import provgraph, served


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
