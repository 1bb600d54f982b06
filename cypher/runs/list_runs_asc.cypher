// One keyset page of runs, oldest first (by start time, or record time when not given; then id),
// each filter ignored when null (statuses: [] = any), with the count of every matching run
// (whatever the cursor) counted in the same query.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $agent_id: string, $statuses: list<string>, $started_after: int, $started_before: int, $ended_after: int, $ended_before: int, $label: string, $meta_kv: string, $tool_name: string, $has_error: boolean, $session_id: string, $after_at: int, $after_id: string, $limit: int
// returns: total, page
CALL () {
  MATCH (r:Run {tenant: $tenant})
  USING INDEX SEEK r:Run(tenant)
  WHERE ($agent_id IS NULL OR r.agent_id = $agent_id)
    AND (size($statuses) = 0 OR r.status IN $statuses)
    AND ($started_after IS NULL OR r.started_at >= $started_after)
    AND ($started_before IS NULL OR r.started_at < $started_before)
    AND ($ended_after IS NULL OR r.ended_at >= $ended_after)
    AND ($ended_before IS NULL OR r.ended_at < $ended_before)
    AND ($label IS NULL OR $label IN r.labels)
    AND ($meta_kv IS NULL OR $meta_kv IN r.meta_kv)
    AND ($tool_name IS NULL OR $tool_name IN r.tool_names)
    AND ($has_error IS NULL OR $has_error = (coalesce(r.error_count, 0) > 0 OR r.status = 'failed'))
    AND ($session_id IS NULL OR r.session_id = $session_id)
  RETURN count(r) AS total
}
CALL () {
  MATCH (r:Run {tenant: $tenant})
  USING INDEX SEEK r:Run(tenant)
  WHERE ($agent_id IS NULL OR r.agent_id = $agent_id)
    AND (size($statuses) = 0 OR r.status IN $statuses)
    AND ($started_after IS NULL OR r.started_at >= $started_after)
    AND ($started_before IS NULL OR r.started_at < $started_before)
    AND ($ended_after IS NULL OR r.ended_at >= $ended_after)
    AND ($ended_before IS NULL OR r.ended_at < $ended_before)
    AND ($label IS NULL OR $label IN r.labels)
    AND ($meta_kv IS NULL OR $meta_kv IN r.meta_kv)
    AND ($tool_name IS NULL OR $tool_name IN r.tool_names)
    AND ($has_error IS NULL OR $has_error = (coalesce(r.error_count, 0) > 0 OR r.status = 'failed'))
    AND ($session_id IS NULL OR r.session_id = $session_id)
    AND ($after_id IS NULL OR r.sort_at > $after_at
         OR (r.sort_at = $after_at AND r.id > $after_id))
  WITH r ORDER BY r.sort_at , r.id  LIMIT $limit
  RETURN collect({id: r.id, agent_id: r.agent_id, status: r.status, started_at: r.started_at, ended_at: r.ended_at, metadata: r.metadata, session_id: r.session_id, root_digest: r.root_digest, node_count: r.node_count, edge_count: r.edge_count, created_at: r.created_at, labels: r.labels, tool_names: r.tool_names, error_count: r.error_count, tokens_total: r.tokens_total, cost_total: r.cost_total, latency_total: r.latency_total}) AS page
}
RETURN total, page
