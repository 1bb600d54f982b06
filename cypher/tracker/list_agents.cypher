// One keyset page of agents in creation order, optionally of one kind, with the count of all
// of them (whatever the cursor) counted in the same query.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $agent_kind: string, $after_created: int, $after_id: string, $limit: int
// returns: total, page
CALL () {
  MATCH (a:Agent {tenant: $tenant})
  USING INDEX SEEK a:Agent(tenant)
  WHERE ($agent_kind IS NULL OR a.agent_kind = $agent_kind)
  RETURN count(a) AS total
}
CALL () {
  MATCH (a:Agent {tenant: $tenant})
  USING INDEX SEEK a:Agent(tenant)
  WHERE ($agent_kind IS NULL OR a.agent_kind = $agent_kind)
    AND ($after_created IS NULL OR a.created_at > $after_created
         OR (a.created_at = $after_created AND a.id > $after_id))
  WITH a ORDER BY a.created_at, a.id LIMIT $limit
  RETURN collect({id: a.id, agent_kind: a.agent_kind, created_at: a.created_at, name: a.name, contact: a.contact, role: a.role, provider: a.provider, model: a.model, version: a.version, source: a.source}) AS page
}
RETURN total, page
