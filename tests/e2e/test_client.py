"""The README's Python recorder example, run as written against a served provgraph; and the
recorder's retries and async path against the real server."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path
from unittest import mock

import pytest

from provgraph.client import AsyncClient, BadRequest, Client, Unauthenticated
from tests.engines import EngineTarget
from tests.served import provgraph, served


def readme_example(repo_root: Path) -> str:
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python recorder", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    return str(code)


def _key(env: dict[str, str], tenant: str) -> str:
    made = provgraph(env, "keys", "create", "--tenant", tenant, "--format", "json")
    assert made.returncode == 0, made.stderr
    token: str = json.loads(made.stdout)["token"]
    return token


def test_the_readme_example_is_about_ten_lines(repo_root: Path) -> None:
    lines = [x for x in readme_example(repo_root).splitlines() if x.strip()]
    assert len(lines) <= 12


@pytest.mark.slow
async def test_readme_example_records_and_questions_a_run(
    tmp_path: Path, repo_root: Path, engine_target: EngineTarget
) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    code = readme_example(repo_root)
    with served(
        tmp_path / "data", require_api_keys="true", engine=engine_target.settings_engine
    ) as server:
        key = _key(server.env, "authors")
        out = io.StringIO()
        env = {"PROVGRAPH_URL": server.url, "PROVGRAPH_API_KEY": key}
        with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
        assert out.getvalue().splitlines() == ["4 downstream", "True"]

        with Client(server.url, key) as pg:
            run = pg.graphql('{ run(id: "run-42") { status sessionId agentId nodeCount } }')
            assert run["run"] == {
                "status": "SUCCEEDED",
                "sessionId": "conv-7",
                "agentId": "researcher",
                "nodeCount": 5,
            }
            # A batch sent again (a retry after a timeout whose answer was lost) changes
            # nothing...
            rec = pg.recorder("run-44", batch_size=100)
            rec.input("a question")
            batch = rec.take()
            assert batch is not None
            assert pg.record_run(batch)["changed"] is True
            assert pg.record_run(batch)["changed"] is False
            # ...but an id recorded again with other content is refused, typed.
            fresh = pg.recorder("run-44")  # numbers its nodes from 0 again
            fresh.input("another question")
            with pytest.raises(BadRequest) as refused:
                fresh.flush()
            assert "different content" in refused.value.message
            # A second recording compared step by step.
            with pg.recorder("run-43", agent_id="researcher") as other:
                q = other.input("What is the weather in Paris?")
                other.decision("Guess", causes=q)
            diff = pg.run_diff("run-42", "run-43")
            assert diff["identical"] is False and diff["firstDivergentStep"] is not None

        with pytest.raises(Unauthenticated), Client(server.url, "pgk_wrong") as bad:
            bad.verify_run("run-42")

        # Async, with a batch cut in two; every batch goes through the server.
        async with AsyncClient(server.url, key) as apg:
            async with apg.recorder("run-async", batch_size=3) as arun:
                d = arun.decision("plan")
                facts = [arun.memory_fact(f"fact {i}") for i in range(4)]
                await arun.maybe_flush()
                out_id = arun.output("done", causes=[d, *facts])
            assert arun.sent.batches == 2
            ancestors = await apg.ancestors(out_id)
            assert {n["node"]["nodeId"] for n in ancestors["nodes"]} == {d, *facts}
            assert (await apg.verify_run("run-async"))["ok"] is True

            answer = await apg.graphql('{ run(id: "run-async") { nodeCount edgeCount } }')
            assert answer["run"] == {"nodeCount": 6, "edgeCount": 5}
