// One keyset page of each session's runs in order (start time, or record time; then id), for a
// DataLoader: per session one row with the count of all its runs and at most $limit of them.
// params: $tenant: string, $ids: list<string>, $after_at: int, $after_id: string, $limit: int
// returns: session_id, total, page
UNWIND $ids AS sid
CALL (sid) {
  MATCH (r:Run {tenant: $tenant, session_id: sid})
  RETURN count(r) AS total
}
CALL (sid) {
  MATCH (r:Run {tenant: $tenant, session_id: sid})
  WHERE $after_id IS NULL OR r.sort_at > $after_at OR (r.sort_at = $after_at AND r.id > $after_id)
  WITH r ORDER BY r.sort_at, r.id LIMIT $limit
  RETURN collect({id: r.id, agent_id: r.agent_id, status: r.status, started_at: r.started_at, ended_at: r.ended_at, metadata: r.metadata, session_id: r.session_id, root_digest: r.root_digest, node_count: r.node_count, edge_count: r.edge_count, created_at: r.created_at, labels: r.labels, tool_names: r.tool_names, error_count: r.error_count, tokens_total: r.tokens_total, cost_total: r.cost_total, latency_total: r.latency_total}) AS page
}
RETURN sid AS session_id, total, page
