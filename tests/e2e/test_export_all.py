"""`provgraph export --all`: a whole tenant out (JSONL, OTLP JSON, PROV) and into another."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

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
def test_export_all_pages_through_every_run(tmp_path: Path, engine_target: EngineTarget) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(
        tmp_path / "data", require_api_keys="true", engine=engine_target.settings_engine
    ) as server:
        env = server.env
        src, dst, otel = _key(env, "src"), _key(env, "dst"), _key(env, "otel")
        auth = {"Authorization": f"Bearer {src}"}
        for i in range(5):
            answer = httpx.post(
                f"{server.url}/graphql",
                json={"query": RECORD, "variables": {"input": sample_run(f"r{i}")}},
                headers=auth,
                timeout=30,
            ).json()
            assert "errors" not in answer, answer
        sent = httpx.post(
            f"{server.url}/v1/traces",
            content=json_request(*GENAI_TRACE),
            headers={**auth, "content-type": "application/json"},
            timeout=30,
        )
        assert sent.status_code == 200, sent.text
        everything = stored_runs(server.url, src)
        assert len(everything) == 7  # five recorded, the trace's run and its sub-run
        elements = sum(1 + n + e for n, e in everything.values())

        common = ("--url", server.url, "--no-progress")
        out = tmp_path / "all.jsonl"
        done = provgraph(
            env, "export", "--all", "--page-size", "2", "-o", str(out), "--key", src, *common
        )
        assert done.returncode == 0, done.stderr
        assert "exported 7 runs" in done.stderr
        lines = out.read_text().splitlines()
        assert sorted(json.loads(line)["run"]["id"] for line in lines) == sorted(everything)

        imported = provgraph(env, "import", str(out), "--key", dst, *common)
        assert imported.returncode == 0, imported.stderr
        copy = stored_runs(server.url, dst)
        assert {r: n for r, (n, _) in copy.items()} == {r: n for r, (n, _) in everything.items()}
        # A run's JSONL holds the edges among its own nodes: the one edge across runs (the
        # sub-agent's span under its parent's, from another run) is not in it.
        sub_run = next(r for r in everything if r.endswith("-run"))
        assert {r: e for r, (_, e) in copy.items()} == {
            r: e - (r == sub_run) for r, (_, e) in everything.items()
        }
        back = tmp_path / "back.jsonl"
        done = provgraph(env, "export", "--all", "-o", str(back), "--key", dst, *common)
        assert done.returncode == 0, done.stderr
        assert sorted(back.read_text().splitlines()) == sorted(lines)

        # OTLP JSON: one ExportTraceServiceRequest per line; every line ingests.
        otlp = tmp_path / "all.otlp.jsonl"
        done = provgraph(
            env, "export", "--all", "--format", "otlp-json", "-o", str(otlp), "--key", src, *common
        )
        assert done.returncode == 0, done.stderr
        assert f"exported 7 runs, {elements - 1} elements" in done.stderr  # less that edge
        requests = [json.loads(line) for line in otlp.read_text().splitlines()]
        assert len(requests) == 7 and all("resourceSpans" in r for r in requests)
        sent_back = provgraph(env, "import", str(otlp), "--key", otel, *common)
        assert sent_back.returncode == 0, sent_back.stderr
        copied = stored_runs(server.url, otel)
        # The trace's two runs come back as they were; each recorded run as an OTLP trace.
        assert {r for r in copied if r in everything} == {
            r for r in everything if r.startswith("otel-")
        }
        assert len(copied) == 7

        # PROV: one file per run in a directory.
        prov_dir = tmp_path / "prov"
        done = provgraph(
            env, "export", "--all", "--format", "prov-n", "-o", str(prov_dir), "--key", src, *common
        )
        assert done.returncode == 0, done.stderr
        files = sorted(p.name for p in prov_dir.iterdir())
        assert len(files) == 7 and "r0.provn" in files
        assert (prov_dir / "r0.provn").read_text().startswith("document\n")
        refused = provgraph(env, "export", "--all", "--format", "prov-o", "--key", src, *common)
        assert refused.returncode == 2 and "needs -o DIR" in refused.stderr

        # An empty tenant exports nothing, successfully.
        empty = provgraph(env, "export", "--all", "--key", _key(env, "none"), *common)
        assert empty.returncode == 0 and empty.stdout == ""
        assert "exported 0 runs, 0 elements" in empty.stderr
