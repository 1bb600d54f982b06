"""Half-sent requests are timed out.

uvicorn times out idle keep-alive connections, but not a connection that sends part of a request
head and then nothing (slowloris): each such connection is held for ever. ``HeadDeadlineProtocol``
is uvicorn's httptools protocol (passed as ``Config(http=...)``) with one addition: from the
moment a connection opens, or a new request on it begins, the client has ``head_timeout``
seconds to finish the request line and headers, or the connection is closed. A body sent too
slowly is the ASGI app's to time out (``api.http.GraphQLEndpoint``, HTTP 408).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def head_deadline_protocol(head_timeout: float) -> type[asyncio.Protocol]:
    class HeadDeadlineProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head_deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self._head_deadline is None:
                self._head_deadline = self.loop.call_later(head_timeout, self._head_too_slow)

        def _disarm(self) -> None:
            if self._head_deadline is not None:
                self._head_deadline.cancel()
                self._head_deadline = None

        def _head_too_slow(self) -> None:
            self._head_deadline = None
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeadDeadlineProtocol
