// One keyset page of each run's nodes ordered by (step, id), for a DataLoader: per run at most
// $limit rows, cut inside the subquery; $step < 0 means every step, [] every kind.
// params: $tenant: string, $ids: list<string>, $step: int, $kinds: list<string>, $after_step: int, $after_id: string, $limit: int
// returns: id, kind, run_id, step, text, json, created_at, occurred_at, tokens, cost, latency_ms, tool_name, arguments, tool_status, error, hash, content_hash
UNWIND $ids AS rid
CALL (rid) {
  MATCH (n:Node {tenant: $tenant, run_id: rid})
  WHERE ($step < 0 OR n.step = $step)
    AND (size($kinds) = 0 OR n.kind IN $kinds)
    AND (n.step > $after_step OR (n.step = $after_step AND n.id > $after_id))
  RETURN n
  ORDER BY n.step, n.id
  LIMIT $limit
}
RETURN n.id AS id, n.kind AS kind, n.run_id AS run_id, n.step AS step, n.text AS text, n.json AS json,
       n.created_at AS created_at, n.occurred_at AS occurred_at, n.tokens AS tokens, n.cost AS cost,
       n.latency_ms AS latency_ms, n.tool_name AS tool_name, n.arguments AS arguments,
       n.tool_status AS tool_status, n.error AS error, n.hash AS hash, n.content_hash AS content_hash
