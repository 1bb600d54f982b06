// One keyset page of activities in start order, optionally those of one agent, with the count
// of all of them (whatever the cursor) counted in the same query.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $agent_id: string, $after_created: int, $after_id: string, $limit: int
// returns: total, page
CALL () {
  MATCH (x:Activity {tenant: $tenant})-[:WAS_ASSOCIATED_WITH]->(ag:Agent)
  USING INDEX SEEK x:Activity(tenant)
  WHERE ($agent_id IS NULL OR ag.id = $agent_id)
  RETURN count(x) AS total
}
CALL () {
  MATCH (x:Activity {tenant: $tenant})-[:WAS_ASSOCIATED_WITH]->(ag:Agent)
  USING INDEX SEEK x:Activity(tenant)
  WHERE ($agent_id IS NULL OR ag.id = $agent_id)
    AND ($after_created IS NULL OR x.created_at > $after_created
         OR (x.created_at = $after_created AND x.id > $after_id))
  WITH x, ag ORDER BY x.created_at, x.id LIMIT $limit
  RETURN collect({id: x.id, agent_id: ag.id, phase: x.phase, stage: x.stage, notes: x.notes, started_at: x.created_at, ended_at: x.ended_at}) AS page
}
RETURN total, page
