// One keyset page of activities in start order, optionally those of one agent.
// params: $tenant: string, $agent_id: string, $after_created: int, $after_id: string, $limit: int
// returns: id, agent_id, phase, stage, notes, started_at, ended_at
MATCH (x:Node:Activity {tenant: $tenant})-[:WAS_ASSOCIATED_WITH]->(ag:Node:Agent {tenant: $tenant})
WHERE ($agent_id IS NULL OR ag.id = $agent_id)
  AND ($after_created IS NULL OR x.created_at > $after_created
       OR (x.created_at = $after_created AND x.id > $after_id))
RETURN x.id AS id, ag.id AS agent_id, x.phase AS phase, x.stage AS stage, x.notes AS notes, x.created_at AS started_at, x.ended_at AS ended_at
ORDER BY started_at, id
LIMIT $limit
