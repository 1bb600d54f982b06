// The tenant's runs in id order after $after ('' for the first page), only those of one
// session when $session_id is not ''.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $session_id: string, $after: string, $limit: int
// returns: id, agent_id, status, started_at, ended_at, metadata, session_id, root_digest, node_count, edge_count, created_at
MATCH (r:Run {tenant: $tenant})
USING INDEX SEEK r:Run(tenant)
WHERE ($session_id = '' OR r.session_id = $session_id) AND r.id > $after
RETURN r.id AS id, r.agent_id AS agent_id, r.status AS status, r.started_at AS started_at,
       r.ended_at AS ended_at, r.metadata AS metadata, r.session_id AS session_id,
       r.root_digest AS root_digest,
       r.node_count AS node_count, r.edge_count AS edge_count, r.created_at AS created_at
ORDER BY id
LIMIT $limit
