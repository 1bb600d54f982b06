// Starts an activity associated with an agent; no row when the agent is missing.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $agent_id: string, $phase: string, $stage: string, $notes: string, $now: int
// returns: id, agent_id, phase, stage, notes, started_at, ended_at
MATCH (ag:Node {tenant: $tenant, id: $agent_id})
USING INDEX SEEK ag:Node(tenant, id)
WHERE ag:Agent
CREATE (x:Node:Activity {
  tenant: $tenant, id: $id, kind: 'activity', created_at: $now,
  phase: $phase, stage: $stage, notes: $notes
})
CREATE (x)-[:WAS_ASSOCIATED_WITH]->(ag)
RETURN x.id AS id, ag.id AS agent_id, x.phase AS phase, x.stage AS stage, x.notes AS notes, x.created_at AS started_at, x.ended_at AS ended_at
