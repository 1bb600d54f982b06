// Run nodes by id, with their content.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, kind, run_id, step, text, json, created_at, occurred_at, tokens, cost, latency_ms, tool_name, arguments, tool_status, error, hash, content_hash
UNWIND $ids AS nid
MATCH (n:Node {tenant: $tenant, id: nid})
USING INDEX SEEK n:Node(tenant, id)
WHERE n.run_id IS NOT NULL
RETURN n.id AS id, n.kind AS kind, n.run_id AS run_id, n.step AS step, n.text AS text, n.json AS json,
       n.created_at AS created_at, n.occurred_at AS occurred_at, n.tokens AS tokens, n.cost AS cost,
       n.latency_ms AS latency_ms, n.tool_name AS tool_name, n.arguments AS arguments,
       n.tool_status AS tool_status, n.error AS error, n.hash AS hash, n.content_hash AS content_hash
