"""Local Neo4j Community: fetched from Maven Central once, run as a child JVM serving Bolt.

``PROVGRAPH_ENGINE=neo4j`` (without ``PROVGRAPH_NEO4J_URI``) starts this engine. The jars come
from Maven Central through the pom shipped in ``neo4j_runtime/`` (``mvn dependency:copy-
dependencies``) into a per-user cache, and a one-class launcher (``ProvgraphNeo4j.java``) is
compiled there with ``javac``; after that first start no network and no Maven are needed.

Same guarantees as the embedded ArcadeDB (and the same helpers from ``embedded``): auth on with a
generated password kept 0600 beside the data (the JVM reads it from that file; no secret on any
command line), data persistent under the data directory, Linux parent-death signal, an orphan
reaped at the next start, SIGTERM then SIGKILL on stop, and ready only when a real query answers
(``connection.wait_until_ready``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from provgraph.engine.embedded import (
    EmbeddedLayout,
    RunningEngine,
    _die_with_parent,
    claim_data_dir,
    ensure_port_free,
    free_port,
    root_password,
    stop_child,
)
from provgraph.engine.errors import EngineStartError

log = logging.getLogger(__name__)

LAUNCHER = "ProvgraphNeo4j"
READY_LINE = "provgraph-neo4j ready"
DATABASE = "neo4j"
USER = "neo4j"
_RUNTIME = resources.files("provgraph.engine") / "neo4j_runtime"


def _pom_text() -> str:
    return (_RUNTIME / "pom.xml").read_text()


def _launcher_source() -> str:
    return (_RUNTIME / f"{LAUNCHER}.java").read_text()


def neo4j_version() -> str:
    """The Neo4j version the shipped pom pins (the one place it is written)."""
    found = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", _pom_text())
    if found is None:  # pragma: no cover - the pom ships with the package
        raise EngineStartError("local Neo4j engine: the shipped pom names no neo4j.version")
    return found.group(1).strip()


def default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "provgraph"


@dataclass(frozen=True)
class Neo4jLayout(EmbeddedLayout):
    """Where the local Neo4j keeps its files under the data directory (beside ArcadeDB's)."""

    @property
    def root(self) -> Path:
        """The DBMS home: ``data/`` (databases, transactions, auth) and ``logs/debug.log``."""
        return self.data_dir / "neo4j"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / "neo4j.log"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "neo4j-engine.json"

    @property
    def password_file(self) -> Path:
        return self.data_dir / ".neo4j-password"


@dataclass(frozen=True)
class Neo4jRuntime:
    """Resolved jars and the compiled launcher of one Neo4j version in the per-user cache."""

    java: Path
    lib: Path
    classes: Path
    version: str

    @property
    def classpath(self) -> str:
        return f"{self.lib / '*'}{os.pathsep}{self.classes}"


def find_java() -> Path:
    """``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return Path(java_home) / "bin" / "java"
    found = shutil.which("java")
    if found is None:
        raise EngineStartError(
            "local Neo4j engine cannot start: no Java found (install a JDK 17 or 21, "
            "or set JAVA_HOME)"
        )
    return Path(found)


def _find_javac(java: Path) -> Path:
    beside = java.resolve().parent / "javac"
    if beside.exists():
        return beside
    found = shutil.which("javac")
    if found is None:
        raise EngineStartError(
            f"local Neo4j engine cannot start: no javac beside {java} (a JDK, not only a JRE, "
            "is needed once to compile provgraph's Neo4j launcher)"
        )
    return Path(found)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One resolver per cache at a time (two provgraph processes may start together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _maven_error(output: str) -> str:
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln.removeprefix("[ERROR]").strip() for ln in lines if ln.startswith("[ERROR]")]
    errors = [e for e in errors if e and not e.startswith(("->", "To see", "Re-run", "For more"))]
    text = errors[0] if errors else (lines[-1] if lines else "no output")
    return text[:300]


def _resolve_jars(version: str, lib: Path, maven_args: tuple[str, ...]) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise EngineStartError(
            f"local Neo4j engine cannot start: Neo4j {version} is not in the cache ({lib}) and "
            "no Maven (mvn) is on PATH to fetch it from Maven Central; install Maven"
        )
    log.warning("fetching Neo4j %s from Maven Central into %s (once)", version, lib)
    with tempfile.TemporaryDirectory(dir=lib.parent, prefix=".resolve-") as tmp:
        work = Path(tmp)
        (work / "pom.xml").write_text(_pom_text())
        out = work / "lib"
        cmd = [
            mvn,
            "-q",
            "-B",
            *maven_args,
            "-f",
            str(work / "pom.xml"),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={out}",
        ]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise EngineStartError(
                f"local Neo4j engine cannot start: fetching Neo4j {version} from Maven Central "
                "took over 15 minutes"
            ) from None
        if done.returncode != 0 or not any(out.glob("neo4j-kernel-*.jar")):
            raise EngineStartError(
                f"local Neo4j engine cannot start: Neo4j {version} could not be fetched from "
                f"Maven Central (is it reachable? the cache {lib} is empty): "
                f"{_maven_error(done.stdout + done.stderr)}"
            )
        out.rename(lib)


def _compile_launcher(java: Path, runtime_dir: Path, lib: Path) -> Path:
    source = _launcher_source()
    stamp = hashlib.sha256(source.encode()).hexdigest()[:16]
    classes = runtime_dir / f"classes-{stamp}"
    if (classes / f"{LAUNCHER}.class").exists():
        return classes
    javac = _find_javac(java)
    with tempfile.TemporaryDirectory(dir=runtime_dir, prefix=".javac-") as tmp:
        work = Path(tmp)
        (work / f"{LAUNCHER}.java").write_text(source)
        (work / "classes").mkdir()
        done = subprocess.run(
            [
                str(javac),
                "-nowarn",
                "-d",
                str(work / "classes"),
                "-cp",
                str(lib / "*"),
                str(work / f"{LAUNCHER}.java"),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            first = next((ln for ln in done.stderr.splitlines() if ln.strip()), "no output")
            raise EngineStartError(
                f"local Neo4j engine cannot start: compiling its launcher failed: {first[:300]}"
            )
        (work / "classes").rename(classes)
    for old in runtime_dir.glob("classes-*"):
        if old != classes:  # launchers of earlier provgraph versions
            shutil.rmtree(old, ignore_errors=True)
    return classes


def ensure_runtime(
    cache_dir: Path | None = None, *, maven_args: tuple[str, ...] = ()
) -> Neo4jRuntime:
    """Jars and launcher of the pinned Neo4j, fetched and compiled on first use, then offline."""
    java = find_java()
    version = neo4j_version()
    runtime_dir = (cache_dir or default_cache_dir()).expanduser().resolve() / f"neo4j-{version}"
    lib = runtime_dir / "lib"
    with _locked(runtime_dir.parent / f".neo4j-{version}.lock"):
        runtime_dir.mkdir(parents=True, exist_ok=True)
        if not lib.is_dir():
            _resolve_jars(version, lib, maven_args)
        classes = _compile_launcher(java, runtime_dir, lib)
    return Neo4jRuntime(java=java, lib=lib, classes=classes, version=version)


def java_command(
    runtime: Neo4jRuntime,
    layout: Neo4jLayout,
    *,
    bolt_port: int,
    heap: str,
    pagecache: str,
    transaction_timeout_ms: int,
) -> list[str]:
    """The child's command line: paths, port and sizes only; the password stays in its file."""
    return [
        str(runtime.java),
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:-OmitStackTraceInFastThrow",
        # What Neo4j's own launcher passes on Java 17+.
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-Dlog4j2.disable.jmx=true",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF-8",
        "-cp",
        runtime.classpath,
        LAUNCHER,
        str(layout.root),
        str(bolt_port),
        str(layout.password_file),
        pagecache,
        str(max(transaction_timeout_ms, 0)),
    ]


class LocalNeo4j:
    """A Neo4j Community child process; ``start`` returns once it is launched (not yet ready)."""

    kind_label = "local Neo4j"

    def __init__(
        self,
        data_dir: Path,
        *,
        bolt_port: int = 0,
        heap: str = "1g",
        pagecache: str = "256m",
        transaction_timeout_ms: int = 0,
        cache_dir: Path | None = None,
    ) -> None:
        self.layout = Neo4jLayout(data_dir.expanduser().resolve())
        self.database = DATABASE
        self._bolt_port = bolt_port
        self.heap = heap
        self.pagecache = pagecache
        self.transaction_timeout_ms = transaction_timeout_ms
        self.cache_dir = cache_dir
        self.runtime: Neo4jRuntime | None = None
        self.password = ""
        self.bolt_port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def auth(self) -> tuple[str, str]:
        return (USER, self.password)

    @property
    def version(self) -> str:
        return self.runtime.version if self.runtime else neo4j_version()

    def prepare(self) -> Neo4jRuntime:
        """Fetch and compile what is missing (slow only the first time; safe in a thread)."""
        if self.runtime is None:
            self.runtime = ensure_runtime(self.cache_dir)
        return self.runtime

    def start(self) -> None:
        runtime = self.prepare()
        self.layout.root.mkdir(parents=True, exist_ok=True)
        self.layout.log_file.parent.mkdir(parents=True, exist_ok=True)
        claim_data_dir(self.layout)
        # Chosen once and kept, so a restarted engine is where the driver looks.
        self.bolt_port = self._bolt_port = self._bolt_port or free_port()
        ensure_port_free(self.bolt_port, "Bolt")
        self.password = root_password(self.layout)
        cmd = java_command(
            runtime,
            self.layout,
            bolt_port=self.bolt_port,
            heap=self.heap,
            pagecache=self.pagecache,
            transaction_timeout_ms=self.transaction_timeout_ms,
        )
        with self.layout.log_file.open("ab") as logf:
            logf.write(f"\n---- provgraph starting Neo4j at {time.ctime()} ----\n".encode())
            logf.flush()
            self.process = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=logf,
                stderr=subprocess.STDOUT,
                cwd=self.layout.root,
                preexec_fn=_die_with_parent,
            )
        state = RunningEngine(
            pid=self.process.pid,
            owner_pid=os.getpid(),
            bolt_port=self.bolt_port,
            http_port=0,
            database=self.database,
        )
        self.layout.state_file.write_text(json.dumps(state.__dict__))

    def check_alive(self) -> None:
        """Raise a one-line EngineStartError if the child has exited."""
        if self.process is not None and self.process.poll() is not None:
            raise EngineStartError(
                f"local Neo4j engine exited with code {self.process.returncode}: "
                f"{self.last_error_line()} (log: {self.layout.log_file})"
            )

    def last_error_line(self) -> str:
        try:
            lines = self.layout.log_file.read_text(errors="replace").splitlines()
        except OSError:
            return "no log"
        start = max(
            (i for i, ln in enumerate(lines) if ln.startswith("---- provgraph starting")),
            default=-1,
        )
        lines = lines[start + 1 :]
        # The first cause line of a Java stack trace names the failure best ("Caused by: ...").
        causes = [ln for ln in lines if ln.startswith("Caused by:")]
        if causes:
            return causes[-1].strip()[:300]
        for line in lines:
            if any(word in line for word in ("Exception", "Error", "ERROR")):
                return line.strip()[:300]
        return lines[-1].strip()[:300] if lines else "no output"

    def launched(self) -> bool:
        """The launcher has set the password and says ready (Bolt may answer a bit earlier)."""
        try:
            text = self.layout.log_file.read_text(errors="replace")
        except OSError:
            return False
        return READY_LINE in text.rpartition("---- provgraph starting")[2]

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is not None:
            stop_child(self.process, timeout, "local Neo4j")
        self.process = None
        self.layout.state_file.unlink(missing_ok=True)
