// The activities with these ids and their agents (missing ones are left out).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, agent_id, phase, stage, notes, started_at, ended_at
UNWIND $ids AS wanted
MATCH (x:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK x:Node(tenant, id)
WHERE x:Activity
OPTIONAL MATCH (x)-[:WAS_ASSOCIATED_WITH]->(ag:Agent)
RETURN x.id AS id, ag.id AS agent_id, x.phase AS phase, x.stage AS stage, x.notes AS notes, x.created_at AS started_at, x.ended_at AS ended_at
