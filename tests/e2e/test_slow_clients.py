"""Half-sent requests are closed or answered 408 instead of being held for ever."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.engines import EngineTarget
from tests.served import served


def _wait_for_close(sock: socket.socket, within: float) -> tuple[float, bytes]:
    """Seconds until the server closed the connection, and what it sent before."""
    started = time.monotonic()
    sock.settimeout(within)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the connection was still open after {within}s: {received[:200]!r}")
    except ConnectionResetError:
        pass
    return time.monotonic() - started, received


@pytest.mark.slow
def test_half_sent_requests_are_timed_out(tmp_path: Path, engine_target: EngineTarget) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(tmp_path, request_read_timeout="1", engine=engine_target.settings_engine) as server:
        address = ("127.0.0.1", server.port)
        # Connects and sends nothing; sends half a request head; sends a head, then half a body.
        idle = socket.create_connection(address)
        half_head = socket.create_connection(address)
        half_head.sendall(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
        half_body = socket.create_connection(address)
        half_body.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            b'{"query": '
        )
        for sock in (idle, half_head):
            elapsed, received = _wait_for_close(sock, within=10)
            assert received == b"" and elapsed < 5
        elapsed, received = _wait_for_close(half_body, within=10)
        assert received.startswith(b"HTTP/1.1 408 ") and elapsed < 5
        assert b"REQUEST_TIMEOUT" in received
        for sock in (idle, half_head, half_body):
            sock.close()
        # A complete request still works, on a fresh connection.
        with socket.create_connection(address) as ok:
            ok.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            _, answer = _wait_for_close(ok, within=10)
            assert answer.startswith(b"HTTP/1.1 200 ")
