// Creates a run or updates the fields given, its digest, counters and the aggregates of its new
// nodes (tool names used, errors, tokens, cost, latency: kept on the run, so lists filter and
// roll-ups sum without reading nodes); returns the run as stored.
// params: $tenant: string, $id: string, $now: int, $agent_id: string, $status: string, $started_at: int, $ended_at: int, $metadata: string, $meta_kv: list<string>, $session_id: string, $root_digest: string, $nodes: int, $edges: int, $tool_names: list<string>, $errors: int, $tokens: int, $cost: float, $latency: int
// returns: id, agent_id, status, started_at, ended_at, metadata, session_id, root_digest, node_count, edge_count, created_at, labels, tool_names, error_count, tokens_total, cost_total, latency_total
MERGE (r:Node:Run {tenant: $tenant, id: $id})
ON CREATE SET r.kind = 'run', r.created_at = $now, r.node_count = 0, r.edge_count = 0
SET r.agent_id = coalesce($agent_id, r.agent_id),
    r.status = coalesce($status, r.status),
    r.started_at = coalesce($started_at, r.started_at),
    r.ended_at = coalesce($ended_at, r.ended_at),
    r.sort_at = coalesce($started_at, r.started_at, r.created_at, $now),
    r.metadata = coalesce($metadata, r.metadata),
    r.meta_kv = CASE WHEN $metadata IS NULL THEN coalesce(r.meta_kv, []) ELSE $meta_kv END,
    r.session_id = coalesce($session_id, r.session_id),
    r.root_digest = $root_digest,
    r.node_count = r.node_count + $nodes,
    r.edge_count = r.edge_count + $edges,
    r.labels = coalesce(r.labels, []),
    r.tool_names = coalesce(r.tool_names, [])
      + [t IN $tool_names WHERE NOT t IN coalesce(r.tool_names, [])],
    r.error_count = coalesce(r.error_count, 0) + $errors,
    r.tokens_total = coalesce(r.tokens_total, 0) + $tokens,
    r.cost_total = coalesce(r.cost_total, 0.0) + $cost,
    r.latency_total = coalesce(r.latency_total, 0) + $latency
RETURN r.id AS id, r.agent_id AS agent_id, r.status AS status, r.started_at AS started_at,
       r.ended_at AS ended_at, r.metadata AS metadata, r.session_id AS session_id,
       r.root_digest AS root_digest,
       r.node_count AS node_count, r.edge_count AS edge_count, r.created_at AS created_at,
       r.labels AS labels, r.tool_names AS tool_names, r.error_count AS error_count,
       r.tokens_total AS tokens_total, r.cost_total AS cost_total, r.latency_total AS latency_total
