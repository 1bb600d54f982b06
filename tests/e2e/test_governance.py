"""Governance on the real engine: versions, labels, evaluations, gates, promotions, rollbacks,
run links, usage roll-ups and drift; misuse is a typed error and writes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from tests.graphql_client import gql
from tests.runs_fixtures import RECORD, sample_run


async def ok(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, document, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def fails(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, document, variables)
    assert body.get("data") is None or all(v is None for v in body["data"].values()), body
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


def publish(version: str, model: str = "m", **extra: str) -> str:
    more = "".join(f', {k}: "{v}"' for k, v in extra.items())
    return (
        f'mutation {{ publishAgentVersion(input: {{agent: "bot", version: "{version}",'
        f' model: "{model}", provider: "p"{more}}}) {{ created version {{ id contentHash'
        " supersedesId } } }"
    )


async def human(client: httpx.AsyncClient, name: str = "Ada") -> str:
    data = await ok(
        client,
        'mutation($n: String!) { createHumanAgent(input: {namespace: "team", name: $n})'
        " { nativeId } }",
        n=name,
    )
    native: str = data["createHumanAgent"]["nativeId"]
    return native


async def test_versions_are_immutable_semver_ordered_and_hash_their_content(
    client: httpx.AsyncClient,
) -> None:
    first = (await ok(client, publish("1.9.0")))["publishAgentVersion"]
    assert first["created"] is True and len(first["version"]["contentHash"]) == 64
    again = (await ok(client, publish("1.9.0")))["publishAgentVersion"]
    assert again == {**first, "created": False}
    changed = await fails(client, publish("1.9.0", model="other"))
    assert changed["code"] == "VERSION_IMMUTABLE" and changed["changed"] == ["model"]
    # 1.10.0 is after 1.9.0 (semver, not text); 1.2.0 is not.
    later = (await ok(client, publish("1.10.0", parameters='{\\"t\\": 1}')))["publishAgentVersion"]
    assert later["version"]["supersedesId"] == "agent:bot@1.9.0"
    assert (await fails(client, publish("1.2.0")))["code"] == "BAD_USER_INPUT"
    assert (await fails(client, publish("v2")))["code"] == "BAD_USER_INPUT"
    assert (await fails(client, publish("2.0.0", parameters="[1]")))["code"] == "BAD_USER_INPUT"
    data = await ok(
        client,
        '{ agentVersions(agent: "bot") { edges { node { version parameters } } }'
        ' agentVersion(id: "agent:bot@1.9.0") { model } }',
    )
    assert [e["node"] for e in data["agentVersions"]["edges"]] == [
        {"version": "1.9.0", "parameters": "{}"},
        {"version": "1.10.0", "parameters": '{"t":1}'},
    ]
    assert data["agentVersion"] == {"model": "m"}


async def test_prompt_labels_move_and_diffs_show_the_text(client: httpx.AsyncClient) -> None:
    for version, template in (("1.0.0", "Hello {{ name }}\nBye"), ("2.0.0", "Hi {{ name }}\nBye")):
        await ok(
            client,
            'mutation($v: String!, $t: String!) { publishPromptVersion(input: {prompt: "greet",'
            " version: $v, template: $t}) { created } }",
            v=version,
            t=template,
        )
    label = (
        'mutation($v: String!) { setPromptLabel(prompt: "greet", label: "staging",'
        " versionId: $v) { previousVersionId version { labels } } }"
    )
    first = await ok(client, label, v="prompt:greet@1.0.0")
    assert first["setPromptLabel"] == {
        "previousVersionId": None,
        "version": {"labels": ["staging"]},
    }
    moved = await ok(client, label, v="prompt:greet@2.0.0")
    assert moved["setPromptLabel"]["previousVersionId"] == "prompt:greet@1.0.0"
    data = await ok(
        client,
        '{ promptVersion(prompt: "greet", label: "staging") { version }'
        ' old: promptVersion(id: "prompt:greet@1.0.0") { labels }'
        ' promptVersionDiff(id: "prompt:greet@1.0.0", otherId: "prompt:greet@2.0.0")'
        " { identical textDiff changes { field } } }",
    )
    assert data["promptVersion"] == {"version": "2.0.0"}
    assert data["old"] == {"labels": []}
    diff = data["promptVersionDiff"]
    assert diff["identical"] is False and diff["changes"] == [{"field": "version"}]
    assert "-Hello {{ name }}\n+Hi {{ name }}\n Bye\n" in diff["textDiff"]
    # A version of another prompt cannot carry this prompt's label.
    await ok(
        client,
        'mutation { publishPromptVersion(input: {prompt: "other", version: "1.0.0",'
        ' template: "x"}) { created } }',
    )
    wrong = await fails(client, label, v="prompt:other@1.0.0")
    assert wrong["code"] == "BAD_USER_INPUT"


SUITE = (
    'mutation { createEvalSuite(input: {id: "suite", name: "s", cases: ['
    '{id: "a", input: "qa"} {id: "b", input: "qb", expected: "B"}]}) { id } }'
)
EVAL = (
    "mutation($id: String!, $v: String!, $r: [EvalResultInput!]!) { recordEvalRun(input:"
    ' {id: $id, suiteId: "suite", versionId: $v, results: $r}) { aggregates { passRate } } }'
)


def results(a: bool, b: bool, tokens: int = 100) -> list[dict[str, Any]]:
    return [
        {"caseId": "a", "passed": a, "score": 1.0 if a else 0.2, "tokens": tokens, "cost": 0.01},
        {"caseId": "b", "passed": b, "score": 1.0 if b else 0.2, "tokens": tokens, "cost": 0.01},
    ]


PROMOTE = (
    "mutation($v: String!, $a: String!, $o: GateOverrideInput) { promote(input:"
    ' {environment: "prod", versionId: $v, actorId: $a, reason: "ship", override: $o})'
    " { id gatePassed failedCriteria overrideAgentId } }"
)
HISTORY = '{ deployments(environment: "prod") { edges { node { action versionId } } } }'


async def test_gates_promotions_overrides_and_rollbacks(client: httpx.AsyncClient) -> None:
    ada = await human(client)
    bot = await ok(
        client,
        'mutation { createSoftwareAgent(input: {namespace: "team", name: "ci"}) { nativeId } }',
    )
    ci = bot["createSoftwareAgent"]["nativeId"]
    for version in ("1.0.0", "1.1.0"):
        await ok(client, publish(version))
    await ok(client, SUITE)
    # A case not in the suite: CASE_NOT_IN_SUITE, nothing written.
    stray = [*results(True, True), {"caseId": "zz", "passed": True, "score": 1}]
    refused = await fails(client, EVAL, id="e0", v="agent:bot@1.0.0", r=stray)
    assert refused["code"] == "CASE_NOT_IN_SUITE" and refused["id"] == "zz"
    assert (await ok(client, '{ evalRun(id: "e0") { id } }')) == {"evalRun": None}
    await ok(client, EVAL, id="e1", v="agent:bot@1.0.0", r=results(True, True))
    await ok(client, EVAL, id="e2", v="agent:bot@1.1.0", r=results(True, False, tokens=300))
    await ok(
        client,
        'mutation { configureEnvironment(input: {name: "prod", maxTotalTokens: 500}) { name } }',
    )

    # Rolling back with nothing deployed: typed error, nothing written.
    rollback = (
        'mutation($a: String!) { rollback(input: {environment: "prod", actorId: $a,'
        ' reason: "r"}) { versionId action } }'
    )
    assert (await fails(client, rollback, a=ada))["code"] == "NO_KNOWN_GOOD_VERSION"
    assert (await ok(client, HISTORY))["deployments"]["edges"] == []

    gate = await ok(
        client,
        '{ gateCheck(environment: "prod", versionId: "agent:bot@1.1.0") { passed failed } }',
    )
    assert gate["gateCheck"] == {
        "passed": False,
        "failed": ["pass_rate", "mean_score", "total_tokens"],
    }
    first = await ok(client, PROMOTE, v="agent:bot@1.0.0", a=ci, o=None)
    assert first["promote"]["gatePassed"] is True
    # Rolling back with only one version deployed: no earlier known-good version.
    assert (await fails(client, rollback, a=ada))["code"] == "NO_KNOWN_GOOD_VERSION"
    failed = await fails(client, PROMOTE, v="agent:bot@1.1.0", a=ci, o=None)
    assert failed["code"] == "GATE_FAILED"
    assert failed["failed"] == ["pass_rate", "mean_score", "total_tokens"]
    # Only a human may override.
    by_bot = await fails(
        client, PROMOTE, v="agent:bot@1.1.0", a=ci, o={"agentId": ci, "reason": "x"}
    )
    assert by_bot["code"] == "BAD_USER_INPUT"
    assert len((await ok(client, HISTORY))["deployments"]["edges"]) == 1
    forced = await ok(
        client, PROMOTE, v="agent:bot@1.1.0", a=ci, o={"agentId": ada, "reason": "incident"}
    )
    assert forced["promote"]["overrideAgentId"] == ada
    assert forced["promote"]["gatePassed"] is False

    rolled = await ok(client, rollback, a=ada)
    assert rolled["rollback"] == {"versionId": "agent:bot@1.0.0", "action": "ROLLBACK"}
    history = (await ok(client, HISTORY))["deployments"]["edges"]
    assert [(e["node"]["action"], e["node"]["versionId"]) for e in history] == [
        ("ROLLBACK", "agent:bot@1.0.0"),
        ("PROMOTE", "agent:bot@1.1.0"),
        ("PROMOTE", "agent:bot@1.0.0"),
    ]
    # Now 1.0.0 is current and 1.1.0 never passed: no other known-good version.
    assert (await fails(client, rollback, a=ada))["code"] == "NO_KNOWN_GOOD_VERSION"

    drift = await ok(
        client,
        '{ evalDrift(runId: "e2", baselineRunId: "e1") { passRateDelta totalTokensDelta'
        " severity regressed { caseId baselinePassed passed } fixed { caseId } } }",
    )
    assert drift["evalDrift"] == {
        "passRateDelta": -0.5,
        "totalTokensDelta": 400,
        "severity": "HIGH",
        "regressed": [{"caseId": "b", "baselinePassed": True, "passed": False}],
        "fixed": [],
    }


async def test_runs_link_to_versions_and_roll_up_per_version(client: httpx.AsyncClient) -> None:
    for version in ("1.0.0", "2.0.0"):
        await ok(client, publish(version))
    await ok(
        client,
        'mutation { publishPromptVersion(input: {prompt: "ask", version: "1.0.0",'
        ' template: "q"}) { created } }',
    )
    for run_id in ("r1", "r2", "r3"):
        body = await gql(client, RECORD, {"input": sample_run(run_id)})
        assert "errors" not in body, body
    link = (
        "mutation($n: String!, $a: String, $p: String) { linkVersions(nodeId: $n,"
        " agentVersionId: $a, promptVersionId: $p) { agentVersionIds promptVersionIds } }"
    )
    await ok(client, link, n="r1", a="agent:bot@1.0.0", p=None)
    await ok(client, link, n="r2", a="agent:bot@2.0.0", p=None)
    await ok(client, link, n="r3", a="agent:bot@2.0.0", p=None)
    data = await ok(client, link, n="r3:d1", a=None, p="prompt:ask@1.0.0")
    assert data["linkVersions"] == {"agentVersionIds": [], "promptVersionIds": ["prompt:ask@1.0.0"]}
    # A run ran as one agent version; a decision has no agent version.
    assert (await fails(client, link, n="r1", a="agent:bot@2.0.0", p=None))["code"] == "CONFLICT"
    assert (await fails(client, link, n="r1:d1", a="agent:bot@2.0.0", p=None))[
        "code"
    ] == "BAD_USER_INPUT"
    assert (await fails(client, link, n="nope", a="agent:bot@2.0.0", p=None))["code"] == "NOT_FOUND"

    usage = await ok(
        client,
        '{ versionUsage(versionId: "agent:bot@2.0.0", baselineVersionId: "agent:bot@1.0.0") {'
        " usage { runs failedRuns tokens cost latencyMs } baseline { runs tokens }"
        " drift { tokensPerRunDelta failureRateDelta severity } }"
        ' prompt: versionUsage(versionId: "prompt:ask@1.0.0") { usage { runs } } }',
    )
    one = await ok(
        client, '{ versionUsage(versionId: "agent:bot@1.0.0") { usage { tokens cost latencyMs } } }'
    )
    per_run = one["versionUsage"]["usage"]
    got = usage["versionUsage"]
    assert got["usage"]["runs"] == 2 and got["usage"]["failedRuns"] == 0
    assert got["usage"]["tokens"] == 2 * per_run["tokens"] > 0
    assert got["usage"]["latencyMs"] == 2 * per_run["latencyMs"]
    assert got["baseline"] == {"runs": 1, "tokens": per_run["tokens"]}
    assert got["drift"] == {"tokensPerRunDelta": 0.0, "failureRateDelta": 0.0, "severity": "NONE"}
    assert usage["prompt"]["usage"]["runs"] == 1
