// Creates a run or updates the fields given, its digest and counters; returns the run as stored.
// params: $tenant: string, $id: string, $now: int, $agent_id: string, $status: string, $started_at: int, $ended_at: int, $metadata: string, $session_id: string, $root_digest: string, $nodes: int, $edges: int
// returns: id, agent_id, status, started_at, ended_at, metadata, session_id, root_digest, node_count, edge_count, created_at
MERGE (r:Node:Run {tenant: $tenant, id: $id})
ON CREATE SET r.kind = 'run', r.created_at = $now, r.node_count = 0, r.edge_count = 0
SET r.agent_id = coalesce($agent_id, r.agent_id),
    r.status = coalesce($status, r.status),
    r.started_at = coalesce($started_at, r.started_at),
    r.ended_at = coalesce($ended_at, r.ended_at),
    r.metadata = coalesce($metadata, r.metadata),
    r.session_id = coalesce($session_id, r.session_id),
    r.root_digest = $root_digest,
    r.node_count = r.node_count + $nodes,
    r.edge_count = r.edge_count + $edges
RETURN r.id AS id, r.agent_id AS agent_id, r.status AS status, r.started_at AS started_at,
       r.ended_at AS ended_at, r.metadata AS metadata, r.session_id AS session_id,
       r.root_digest AS root_digest,
       r.node_count AS node_count, r.edge_count AS edge_count, r.created_at AS created_at
