// An agent's kind (human, ml, software); no row when it does not exist.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string
// returns: id, agent_kind
MATCH (a:Node {tenant: $tenant, id: $id})
USING INDEX SEEK a:Node(tenant, id)
WHERE a:Agent
RETURN a.id AS id, a.agent_kind AS agent_kind
