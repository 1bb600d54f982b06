"""`provgraph keys …` next to a running `provgraph serve`, as an operator uses them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.engines import EngineTarget
from tests.served import provgraph, served


@pytest.mark.slow
def test_keys_created_by_the_cli_work_against_the_running_server(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(tmp_path, require_api_keys="true", engine=engine_target.settings_engine) as server:
        url, env = server.url, server.env
        created = provgraph(env, "keys", "create", "--tenant", "acme", "--format", "json")
        assert created.returncode == 0, created.stderr
        key = json.loads(created.stdout)
        assert key["tenant"] == "acme" and key["readOnly"] is False
        # The same ISO-8601 UTC form as the GraphQL API's timestamps.
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", key["createdAt"])
        auth = {"Authorization": f"Bearer {key['token']}"}
        query = {"query": "{ viewer { tenant keyId } }"}
        answer = httpx.post(f"{url}/graphql", json=query, headers=auth, timeout=10).json()
        assert answer["data"]["viewer"] == {"tenant": "acme", "keyId": key["keyId"]}
        # The tenant's audit trail records the key's creation (by the operator: no key id).
        trail = {
            "query": '{ auditEvents(filter: {action: "keys.create"}) { edges { node '
            "{ action keyId targetIds } } } }"
        }
        events = httpx.post(f"{url}/graphql", json=trail, headers=auth, timeout=10).json()
        assert [e["node"]["action"] for e in events["data"]["auditEvents"]["edges"]] == [
            "keys.create"
        ]

        listed = provgraph(env, "keys", "list", "--tenant", "acme", "--format", "json")
        assert [k["keyId"] for k in json.loads(listed.stdout)] == [key["keyId"]]
        assert key["token"] not in listed.stdout

        revoked = provgraph(env, "keys", "revoke", key["keyId"])
        assert revoked.returncode == 0 and "revoked" in revoked.stdout
        after = httpx.post(f"{url}/graphql", json=query, headers=auth, timeout=10)
        assert after.status_code == 401

        missing = provgraph(env, "keys", "revoke", "0123456789abcdef")
        assert missing.returncode == 2
        assert missing.stderr.strip() == "provgraph: no API key '0123456789abcdef'"


@pytest.mark.slow
def test_creating_a_key_in_dev_mode_warns_that_keyless_requests_still_work(
    tmp_path: Path, engine_target: EngineTarget
) -> None:
    if not engine_target.starts_locally:
        pytest.skip("serves on an engine provgraph starts itself")
    with served(tmp_path, engine=engine_target.settings_engine) as server:
        created = provgraph(server.env, "keys", "create", "--tenant", "default")
        assert created.returncode == 0, created.stderr
        assert "requests without a key still act as tenant 'default'" in created.stderr
        assert "protects nothing" in created.stderr
        other = provgraph(server.env, "keys", "create", "--tenant", "acme")
        assert "still act as tenant 'default'" in other.stderr
        assert "protects nothing" not in other.stderr
    with served(
        tmp_path / "keys", require_api_keys="true", engine=engine_target.settings_engine
    ) as server:
        quiet = provgraph(server.env, "keys", "create", "--tenant", "default")
        assert quiet.returncode == 0 and "warning" not in quiet.stderr
