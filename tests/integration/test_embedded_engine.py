"""The engine provgraph starts itself as a process (the embedded ArcadeDB, or the local Neo4j on
a Neo4j session): persistence, failure at start, no orphans, the engine's own time limit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from neo4j.exceptions import ClientError

from provgraph.core.domain.errors import DeadlineExceeded
from provgraph.core.store.catalog import Catalog, NamedQuery, default_catalog
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import open_engine
from provgraph.engine.embedded import EmbeddedLayout
from provgraph.engine.errors import EngineStartError
from provgraph.engine.neo4j_local import Neo4jLayout
from tests.engines import NEO4J_LOCAL, EngineTarget


@pytest.fixture(autouse=True)
def _local_only(engine_target: EngineTarget) -> None:
    if not engine_target.starts_locally:
        pytest.skip("process tests need an engine provgraph starts itself")


def _log_file(target: EngineTarget, data_dir: Path) -> Path:
    layout = Neo4jLayout(data_dir) if target.kind == NEO4J_LOCAL else EmbeddedLayout(data_dir)
    return layout.log_file


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is gone for our purposes.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


async def test_data_survives_a_restart(tmp_path: Path, engine_target: EngineTarget) -> None:
    settings = engine_target.local_settings(tmp_path)
    first = await open_engine(settings)
    try:
        await first.driver.execute_query(
            "CREATE (:Node:Probe {tenant: 'persist', id: 'p1', note: 'kept'})",
            database_=first.database,
        )
    finally:
        await first.close()
    second = await open_engine(settings)
    try:
        records, _, _ = await second.driver.execute_query(
            "MATCH (n:Probe {tenant: 'persist', id: 'p1'}) RETURN n.note AS note",
            database_=second.database,
        )
        assert [r["note"] for r in records] == ["kept"]
    finally:
        await second.close()


async def test_engine_dying_at_start_is_one_line_naming_the_log(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    settings = engine_target.local_settings(tmp_path, heap="notaheap")
    with pytest.raises(EngineStartError) as info:
        await open_engine(settings)
    message = str(info.value)
    assert "exited with code" in message
    assert str(_log_file(engine_target, tmp_path)) in message
    assert "\n" not in message


@pytest.mark.slow
def test_no_orphan_jvm_when_provgraph_is_killed(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    script = (
        "import asyncio, sys, time\n"
        "from pathlib import Path\n"
        "from provgraph.config import Settings\n"
        "from provgraph.engine.connection import open_engine\n"
        "async def main():\n"
        f"    s = Settings(data_dir=Path({str(tmp_path)!r}), embedded_heap='512m',\n"
        f"                 neo4j_heap='512m', engine={engine_target.settings_engine!r})\n"
        "    e = await open_engine(s)\n"
        "    print(e.embedded.process.pid, flush=True)\n"
        "    time.sleep(600)\n"
        "asyncio.run(main())\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    jvm_pid = int(parent.stdout.readline())
    assert _alive(jvm_pid)
    os.kill(parent.pid, signal.SIGKILL)  # no chance to clean up
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 20
    while _alive(jvm_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(jvm_pid), "the engine outlived a killed provgraph"


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


@pytest.mark.slow
async def test_an_orphaned_engine_is_reaped_at_the_next_start(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    """An engine whose provgraph died without taking it along (no parent-death signal, e.g.
    off Linux) is stopped by the next provgraph on that data directory, which then starts."""
    settings = engine_target.local_settings(tmp_path)
    first = await open_engine(settings)
    assert first.embedded is not None and first.embedded.process is not None
    orphan = first.embedded.process
    # We are still its parent: reap it as soon as it exits, as init would.
    threading.Thread(target=orphan.wait, daemon=True).start()
    gone = _dead_pid()
    state_file = first.embedded.layout.state_file
    state = json.loads(state_file.read_text())
    assert state["pid"] == orphan.pid
    state_file.write_text(json.dumps({**state, "owner_pid": gone}))  # its owner is dead
    second = await open_engine(settings)
    try:
        assert not _alive(orphan.pid), "the orphan was not stopped"
        records, _, _ = await second.driver.execute_query(
            "RETURN 1 AS ok", database_=second.database
        )
        assert [r["ok"] for r in records] == [1]
    finally:
        await second.close()
        await first.close()


async def test_the_engine_itself_stops_a_query_at_the_time_limit(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    """ArcadeDB ignores the Bolt transaction timeout; provgraph starts it with its own limit, so
    the statement is aborted there (TransactionTimedOut) and not left computing. Neo4j honours
    the limit each transaction sends (the executor's), and the local Neo4j is started with the
    same limit as its default (db.transaction.timeout) for transactions that send none."""
    engine = await open_engine(engine_target.local_settings(tmp_path, query_timeout=0.5))
    try:
        base = default_catalog()
        slow = NamedQuery(
            "test/slow",
            "UNWIND range(1, 3000) AS a UNWIND range(1, 30000) AS b "
            "WITH a, b WHERE (a * b) % 7919 = -1 RETURN count(*) AS c",
            {},
            ("c",),
            base["system/ping"].path,
        )
        catalog = Catalog([*(base[n] for n in base.names()), slow])
        if engine_target.kind == NEO4J_LOCAL:
            # The client waits 1.5 s; the engine must end it first, at the 0.5 s it was sent.
            executor = Executor(engine.driver, engine.database, catalog, timeout=0.5)
            with pytest.raises(DeadlineExceeded) as info:
                await executor.read("test/slow", {})
            cause = info.value.__cause__
            assert isinstance(cause, ClientError)
            assert (
                cause.code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
            )
            with pytest.raises(ClientError) as raw:  # no timeout sent: the engine's default
                await engine.driver.execute_query(slow.text, database_=engine.database)
            # (Neo4j 5.26 names this one ...ClientConfiguration too.)
            assert (raw.value.code or "").startswith(
                "Neo.ClientError.Transaction.TransactionTimedOut"
            )
            return
        # The client would wait 30 s: only the engine's own limit can end this one early.
        executor = Executor(engine.driver, engine.database, catalog, timeout=30.0)
        with pytest.raises(DeadlineExceeded) as info:
            await executor.read("test/slow", {})
        cause = info.value.__cause__
        assert isinstance(cause, ClientError)
        assert cause.code == "Neo.ClientError.Transaction.TransactionTimedOut"
    finally:
        await engine.close()
