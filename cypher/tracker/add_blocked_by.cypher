// Adds task -blocked_by-> task (stored (:Task)-[:BLOCKED_BY]->(:Task)) unless present; no row if an end is missing.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $source: string, $target: string, $now: int
// returns: created
MATCH (s:Node {tenant: $tenant, id: $source})
USING INDEX SEEK s:Node(tenant, id)
WHERE s:Task
MATCH (t:Node {tenant: $tenant, id: $target})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
OPTIONAL MATCH (s)-[old:BLOCKED_BY]->(t)
WITH s, t, count(old) AS before
MERGE (s)-[r:BLOCKED_BY]->(t)
ON CREATE SET r.created_at = $now
RETURN before = 0 AS created
