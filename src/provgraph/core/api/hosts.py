"""The ``Host`` header check: a dev-mode server on loopback is not reachable by DNS rebinding.

A web page on any site can make the browser resolve its own name to 127.0.0.1 and then talk to
a server there as same-origin; the ``Host`` header still carries the page's name. So in dev mode
(no API keys: every request acts as the dev tenant) only loopback names are served unless
``PROVGRAPH_ALLOWED_HOSTS`` lists others. With keys required, any host is served unless that
setting lists some. Refused requests get HTTP 421 with a GraphQL error body.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from provgraph.core.api.http import error_response

LOOPBACK_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")


def host_name(header: str) -> str:
    """``example.org:8000`` -> ``example.org``; ``[::1]:8000`` -> ``::1``; lower case."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts(configured: Iterable[str], auth_required: bool) -> frozenset[str] | None:
    """The host names served, or None for any: the setting, else loopback in dev mode."""
    names = frozenset(host_name(h) for h in configured)
    if "*" in names:
        return None
    if names:
        return names
    return None if auth_required else frozenset(LOOPBACK_HOSTS)


class HostCheck:
    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None) -> None:
        self._app = app
        self._allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._allowed is not None and scope["type"] in ("http", "websocket"):
            header = Headers(scope=scope).get("host")
            # No Host header (HTTP/1.0 tools): no browser sends that, so no rebinding either.
            if header is not None and host_name(header) not in self._allowed:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                refusal = error_response(
                    421,
                    "MISDIRECTED_REQUEST",
                    f"this server does not serve the host {host_name(header)[:100]!r}; "
                    "allow it with PROVGRAPH_ALLOWED_HOSTS",
                )
                await refusal(scope, receive, send)
                return
        await self._app(scope, receive, send)
