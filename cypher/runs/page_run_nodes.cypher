// One keyset page of each run's nodes ordered by (step, id), for a DataLoader: per run one row
// with the count of all its nodes matching the filters (whatever the cursor) and at most $limit
// of them; $step < 0 means every step, [] every kind.
// params: $tenant: string, $ids: list<string>, $step: int, $kinds: list<string>, $after_step: int, $after_id: string, $limit: int
// returns: run_id, total, page
UNWIND $ids AS rid
CALL (rid) {
  MATCH (n:Node {tenant: $tenant, run_id: rid})
  WHERE ($step < 0 OR n.step = $step)
    AND (size($kinds) = 0 OR n.kind IN $kinds)
  RETURN count(n) AS total
}
CALL (rid) {
  MATCH (n:Node {tenant: $tenant, run_id: rid})
  WHERE ($step < 0 OR n.step = $step)
    AND (size($kinds) = 0 OR n.kind IN $kinds)
    AND (n.step > $after_step OR (n.step = $after_step AND n.id > $after_id))
  WITH n ORDER BY n.step, n.id LIMIT $limit
  RETURN collect({id: n.id, kind: n.kind, run_id: n.run_id, step: n.step, text: n.text, json: n.json,
         created_at: n.created_at, occurred_at: n.occurred_at, tokens: n.tokens, cost: n.cost,
         latency_ms: n.latency_ms, tool_name: n.tool_name, arguments: n.arguments,
         tool_status: n.tool_status, error: n.error, hash: n.hash, content_hash: n.content_hash}) AS page
}
RETURN rid AS run_id, total, page
