"""provgraph's Python recorder: record a run as it happens, ask the forensic questions.

    from provgraph.client import Recorder

    with Recorder("run-42", url="http://127.0.0.1:8000", key="pgk_...") as run:
        q = run.input("What is the weather in Paris?")
        d = run.decision("Call the weather tool", causes=q, tokens=42)
        call = run.tool_call("weather", {"city": "Paris"}, causes=d)
        res = run.tool_result(call, "22C")
        run.output("It is 22C in Paris", causes=[d, res])

Needs only ``httpx`` (imports nothing else of provgraph's server).
"""

from provgraph.client.client import AsyncClient, AsyncRecorder, Client, Recorder
from provgraph.client.errors import (
    BadRequest,
    ClientError,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ProvgraphError,
    Unauthenticated,
    Unavailable,
)
from provgraph.client.protocol import RetryPolicy

__all__ = [
    "AsyncClient",
    "AsyncRecorder",
    "BadRequest",
    "Client",
    "ClientError",
    "Conflict",
    "Forbidden",
    "NotFound",
    "PayloadTooLarge",
    "ProvgraphError",
    "Recorder",
    "RetryPolicy",
    "Unauthenticated",
    "Unavailable",
]
