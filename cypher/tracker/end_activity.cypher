// Ends an activity: sets its end time once (a replay keeps the first) and optionally its stage.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $stage: string, $now: int
// returns: id, agent_id, phase, stage, notes, started_at, ended_at
MATCH (x:Node {tenant: $tenant, id: $id})
USING INDEX SEEK x:Node(tenant, id)
WHERE x:Activity
SET x.ended_at = coalesce(x.ended_at, $now), x.stage = coalesce($stage, x.stage)
WITH x
OPTIONAL MATCH (x)-[:WAS_ASSOCIATED_WITH]->(ag:Agent)
RETURN x.id AS id, ag.id AS agent_id, x.phase AS phase, x.stage AS stage, x.notes AS notes, x.created_at AS started_at, x.ended_at AS ended_at
