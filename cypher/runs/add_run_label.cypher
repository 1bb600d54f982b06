// Adds a label to a run (a no-op when it has it); returns the run, or no row when there is no such run.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $label: string
// returns: id, agent_id, status, started_at, ended_at, metadata, session_id, root_digest, node_count, edge_count, created_at, labels, tool_names, error_count, tokens_total, cost_total, latency_total
MATCH (r:Node {tenant: $tenant, id: $id})
USING INDEX SEEK r:Node(tenant, id)
WHERE r:Run
SET r.labels = CASE WHEN $label IN coalesce(r.labels, []) THEN r.labels
                    ELSE coalesce(r.labels, []) + [$label] END
RETURN r.id AS id, r.agent_id AS agent_id, r.status AS status, r.started_at AS started_at,
       r.ended_at AS ended_at, r.metadata AS metadata, r.session_id AS session_id,
       r.root_digest AS root_digest,
       r.node_count AS node_count, r.edge_count AS edge_count, r.created_at AS created_at,
       r.labels AS labels, r.tool_names AS tool_names, r.error_count AS error_count,
       r.tokens_total AS tokens_total, r.cost_total AS cost_total, r.latency_total AS latency_total
