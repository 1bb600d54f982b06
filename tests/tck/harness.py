"""The TCK's client: post GraphQL to the real app, read back what the recording executor got."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from provgraph.config import Settings
from provgraph.core.store.executor import AUDIT_QUERIES
from tests.tck.recording import Answer, Call, RecordingExecutor

TENANT = "tck-tenant"
MARKER = "tck_covers"
# Queries that are not about one tenant's data: API keys (looked up before the tenant is known),
# readiness, and start-up schema.
TENANT_FREE = ("keys/", "system/", "schema/", "setup/")


def covers(*fields: str) -> pytest.MarkDecorator:
    """Marks the test that pins what root ``fields`` (``Query.task``, ``Mutation.createTask``)
    send; ``test_coverage.py`` fails when a root field of the schema has none."""
    return pytest.mark.tck_covers(*fields)


class TckSettings(Settings):
    """Settings from the arguments only: no ``PROVGRAPH_*`` variable of the machine running the
    tests can change a limit the TCK pins."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def tck_settings() -> Settings:
    return TckSettings(
        require_api_keys=False,
        dev_tenant=TENANT,
        max_traversal_depth=10,
        max_result_nodes=5000,
        max_page_size=500,
        allowed_hosts=["tck.test"],
    )


class Tck:
    """One test's view: send GraphQL, then read the recorded ``(query name, parameters)``."""

    def __init__(self, client: httpx.AsyncClient, executor: RecordingExecutor) -> None:
        self.client = client
        self.executor = executor
        # What the app's start-up sent (schema and type registration), before any request.
        self.startup: list[Call] = []
        # The tenant every tenant-scoped query must be sent with (the caller's).
        self.tenant = TENANT

    def unscoped(self) -> list[Call]:
        """Calls of tenant data (every area but keys and system) not scoped to ``tenant``."""
        return [
            c
            for c in self.calls
            if not c.name.startswith(TENANT_FREE) and c.params.get("tenant") != self.tenant
        ]

    @property
    def calls(self) -> list[Call]:
        """The area's own queries: the audit trail's appends, which every mutation adds to
        its write transactions, are in ``audit_calls`` (pinned in test_governance_audit)."""
        return [c for c in self.executor.recording.calls if c.name not in AUDIT_QUERIES]

    @property
    def audit_calls(self) -> list[Call]:
        return [c for c in self.executor.recording.calls if c.name in AUDIT_QUERIES]

    def answer(self, name: str, rows: Answer) -> None:
        """What the query ``name`` answers from now on (default: no rows)."""
        self.executor.recording.answers[name] = rows

    def names(self) -> list[str]:
        return [c.name for c in self.calls]

    def sent(self) -> list[tuple[str, dict[str, Any]]]:
        return [(c.name, c.params) for c in self.calls]

    def transactions(self) -> list[tuple[str, bool, list[str]]]:
        """``(label, write, query names)`` per transaction, in order."""
        out: dict[int, tuple[str, bool, list[str]]] = {}
        for c in self.calls:
            out.setdefault(c.tx, (c.label, c.write, []))[2].append(c.name)
        return [out[k] for k in sorted(out)]

    def clear(self) -> None:
        self.executor.recording.calls.clear()

    async def post(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": document, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        """The ``data`` of a request that must succeed."""
        body = await self.post(document, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def error(self, document: str, variables: dict[str, Any] | None = None) -> str:
        """The code of the one error of a request that must fail."""
        body = await self.post(document, variables)
        errors = body.get("errors") or []
        assert len(errors) == 1, body
        code: str = errors[0].get("extensions", {}).get("code", "")
        return code


class StartsWith(str):
    """Equal to any string that starts with it (a server-made id, say)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith(str.__str__(self))

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __repr__(self) -> str:
        return f"StartsWith({str.__repr__(self)})"
