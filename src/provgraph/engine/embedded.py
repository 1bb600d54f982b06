"""Embedded ArcadeDB: a child JVM from the ``arcadedb-embedded`` wheel, serving Bolt on loopback.

A child process (not the in-process JVM) keeps the JVM's memory and crashes out of the Python
server. It is tied to this process: Linux parent-death signal, a pid file that lets the next start
reap an orphan, SIGTERM then SIGKILL on stop.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from provgraph.engine.errors import EngineStartError

log = logging.getLogger(__name__)

PACKAGE = "arcadedb_embedded"
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class EmbeddedLayout:
    """Where an embedded engine keeps its files under one data directory."""

    data_dir: Path

    @property
    def root(self) -> Path:
        return self.data_dir / "arcadedb"

    @property
    def databases(self) -> Path:
        return self.root / "databases"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / "arcadedb.log"

    @property
    def state_file(self) -> Path:
        """engine.json: the running engine's pid, its owner's pid and its ports."""
        return self.data_dir / "engine.json"

    @property
    def password_file(self) -> Path:
        return self.data_dir / ".arcadedb-root-password"


def package_dir() -> Path:
    """The installed ``arcadedb_embedded`` package, found without importing it (no JVM start)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EngineStartError(
            "embedded engine unavailable: the 'arcadedb-embedded' package is not installed "
            "(pip install 'provgraph[embedded]', or set PROVGRAPH_NEO4J_URI to use Neo4j)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_child(proc: subprocess.Popen[bytes], timeout: float, what: str) -> None:
    """SIGTERM, then SIGKILL when ``proc`` has not exited within ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        log.warning("%s did not stop in %.0fs; killing it", what, timeout)
        proc.kill()
        proc.wait(timeout=5)


def ensure_port_free(port: int, what: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # As the JVM's own server sockets do: only a listener makes the port busy, not
        # connections of a just-stopped engine lingering in TIME_WAIT.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            raise EngineStartError(
                f"embedded engine cannot start: {what} port 127.0.0.1:{port} is busy "
                f"({exc.strerror})"
            ) from None


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) for this user only; tighten it if others may read it."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        os.chmod(path, PRIVATE_DIR)


def write_private(path: Path, text: str) -> None:
    """Write ``path`` as 0600 whatever the umask, replacing it atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(tmp, PRIVATE_FILE)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def root_password(layout: EmbeddedLayout) -> str:
    """The engine's root password: made once, kept 0600 beside the data (no default passwords)."""
    path = layout.password_file
    if path.exists():
        if path.stat().st_mode & 0o077:
            os.chmod(path, PRIVATE_FILE)
        return path.read_text().strip()
    make_private_dir(path.parent)
    password = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(password)
    return password


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


@dataclass(frozen=True)
class RunningEngine:
    """What engine.json says of an engine started by some provgraph process."""

    pid: int
    owner_pid: int
    bolt_port: int
    http_port: int
    database: str


def read_state(layout: EmbeddedLayout) -> RunningEngine | None:
    """The engine recorded in engine.json, if that process is still an engine on this data."""
    try:
        raw = json.loads(layout.state_file.read_text())
        state = RunningEngine(**raw)
    except (OSError, ValueError, TypeError):
        return None
    if _pid_alive(state.pid) and str(layout.root) in _cmdline(state.pid):
        return state
    return None


def claim_data_dir(layout: EmbeddedLayout) -> None:
    """Refuse a data directory whose engine another live provgraph owns; reap an orphan."""
    state = read_state(layout)
    if state is not None and state.owner_pid != os.getpid():
        if _pid_alive(state.owner_pid):
            raise EngineStartError(
                f"data directory {layout.data_dir} is in use by another provgraph "
                f"(pid {state.owner_pid}); stop it or set PROVGRAPH_DATA_DIR"
            )
        log.warning("stopping an orphaned embedded engine (pid %d) left by a crash", state.pid)
        terminate(state.pid, timeout=10.0)
    layout.state_file.unlink(missing_ok=True)


def terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    # Own process group: a Ctrl-C in the terminal reaches provgraph, which then stops the JVM
    # in order, instead of both racing.
    os.setpgrp()


def java_command(
    pkg: Path,
    layout: EmbeddedLayout,
    *,
    database: str,
    bolt_port: int,
    http_port: int,
    heap: str,
    command_timeout_ms: int = 0,
) -> list[str]:
    java = pkg / "jre" / "bin" / ("java.exe" if os.name == "nt" else "java")
    if not java.exists():
        raise EngineStartError(f"embedded engine unavailable: no bundled Java at {java}")
    return [
        str(java),
        f"-Xmx{heap}",
        "--add-modules=jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF8",
        f"-Darcadedb.server.rootPath={layout.root}",
        f"-Darcadedb.server.databaseDirectory={layout.databases}",
        # The password stays in its 0600 file: a command line is readable by every local user.
        f"-Darcadedb.server.rootPasswordPath={layout.password_file}",
        "-Darcadedb.server.mode=development",
        "-Darcadedb.server.httpIncomingHost=127.0.0.1",
        f"-Darcadedb.server.httpIncomingPort={http_port}",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "-Darcadedb.bolt.host=127.0.0.1",
        f"-Darcadedb.bolt.port={bolt_port}",
        f"-Darcadedb.server.defaultDatabases={database}[root]",
        f"-Darcadedb.bolt.defaultDatabase={database}",
        # ArcadeDB ignores the Bolt transaction timeout; this makes it abort a statement itself
        # (TransactionTimedOut) instead of computing on after the client has given up.
        f"-Darcadedb.command.timeout={max(command_timeout_ms, 0)}",
        "-cp",
        str(pkg / "jars" / "*"),
        "com.arcadedb.server.ArcadeDBServer",
    ]


class EmbeddedArcadeDB:
    """A running ArcadeDB child process; ``start`` returns once its Bolt port accepts TCP."""

    def __init__(
        self,
        data_dir: Path,
        *,
        database: str = "provgraph",
        bolt_port: int = 0,
        http_port: int = 0,
        heap: str = "2g",
        command_timeout_ms: int = 0,
    ) -> None:
        self.layout = EmbeddedLayout(data_dir.expanduser().resolve())
        self.database = database
        self._bolt_port = bolt_port
        self._http_port = http_port
        self.heap = heap
        self.command_timeout_ms = command_timeout_ms
        self.password = ""
        self.bolt_port = 0
        self.http_port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def auth(self) -> tuple[str, str]:
        return ("root", self.password)

    def start(self) -> None:
        try:
            self._start()
        except OSError as exc:
            # A read-only or full data directory, or one of another user: one line, no traceback.
            where = exc.filename or self.layout.data_dir
            raise EngineStartError(
                f"embedded engine cannot start: {where}: {exc.strerror or exc} "
                f"(data directory {self.layout.data_dir}; log: {self.layout.log_file})"
            ) from None

    def _start(self) -> None:
        pkg = package_dir()
        # The data, the engine's config (its users) and logs are this user's only.
        for directory in (
            self.layout.data_dir,
            self.layout.root,
            self.layout.databases,
            self.layout.log_file.parent,
        ):
            make_private_dir(directory)
        claim_data_dir(self.layout)
        # Ports are chosen once and kept, so a restarted engine is where the driver looks.
        self.bolt_port = self._bolt_port = self._bolt_port or free_port()
        self.http_port = self._http_port = self._http_port or free_port()
        ensure_port_free(self.bolt_port, "Bolt")
        ensure_port_free(self.http_port, "HTTP")
        self.password = root_password(self.layout)
        cmd = java_command(
            pkg,
            self.layout,
            database=self.database,
            bolt_port=self.bolt_port,
            http_port=self.http_port,
            heap=self.heap,
            command_timeout_ms=self.command_timeout_ms,
        )
        log_fd = os.open(self.layout.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        with os.fdopen(log_fd, "ab") as logf:
            logf.write(f"\n---- provgraph starting ArcadeDB at {time.ctime()} ----\n".encode())
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
            http_port=self.http_port,
            database=self.database,
        )
        write_private(self.layout.state_file, json.dumps(state.__dict__))

    def check_alive(self) -> None:
        """Raise a one-line EngineStartError if the child has exited."""
        if self.process is not None and self.process.poll() is not None:
            raise EngineStartError(
                f"embedded engine exited with code {self.process.returncode}: "
                f"{self.last_error_line()} (log: {self.layout.log_file})"
            )

    def last_error_line(self) -> str:
        try:
            lines = self.layout.log_file.read_text(errors="replace").splitlines()
        except OSError:
            return "no log"
        for line in reversed(lines):
            if any(word in line for word in ("SEVERE", "Exception", "Error", "error")):
                return line.strip()[:300]
        return lines[-1].strip()[:300] if lines else "no output"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is not None:
            stop_child(self.process, timeout, "embedded engine")
        self.process = None
        self.layout.state_file.unlink(missing_ok=True)
