// One BFS level over BLOCKED_BY: what each of these tasks waits on directly.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: from_id, to_id
UNWIND $ids AS wanted
MATCH (x:Node {tenant: $tenant, id: wanted})-[:BLOCKED_BY]->(y:Task)
USING INDEX SEEK x:Node(tenant, id)
WHERE x:Task
RETURN x.id AS from_id, y.id AS to_id
ORDER BY from_id, y.created_at, to_id
