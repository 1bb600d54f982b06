// One breadth-first step of an ancestors traversal: the causal edges out of the frontier nodes
// (stored effect -> cause) of the given types, each with its cause.
// With the reached node's content (what runs/get_nodes returns): for answers that select
// content fields other than `text`.
// params: $tenant: string, $ids: list<string>, $types: list<string>
// returns: from_id, type, id, kind, step, run_id, text, json, created_at, occurred_at, tokens, cost, latency_ms, tool_name, arguments, tool_status, error, hash, content_hash
UNWIND $ids AS from_id
MATCH (f:Node {tenant: $tenant, id: from_id})-[r:WAS_INFLUENCED_BY|WAS_TRIGGERED_BY|WAS_PRODUCED_BY|CONSUMED|BLOCKED_BY|WAS_DERIVED_FROM|SUPERSEDES|WAS_DISCOVERED_FROM|WAS_GENERATED_BY|WAS_ATTRIBUTED_TO|WAS_ASSOCIATED_WITH|WAS_STARTED_BY|ACTED_ON_BEHALF_OF|WAS_INFORMED_BY|WAS_PART_OF]->(a:Node {tenant: $tenant})
WHERE type(r) IN $types
RETURN from_id, type(r) AS type, a.id AS id, a.kind AS kind, a.step AS step, a.run_id AS run_id,
       a.text AS text, a.json AS json, a.created_at AS created_at, a.occurred_at AS occurred_at,
       a.tokens AS tokens, a.cost AS cost, a.latency_ms AS latency_ms, a.tool_name AS tool_name, a.arguments AS arguments,
       a.tool_status AS tool_status, a.error AS error, a.hash AS hash, a.content_hash AS content_hash
