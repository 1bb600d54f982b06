// Removes a run's link of one type to a target; returns how many were removed (0 or 1).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $run_id: string, $target: string, $type: string
// returns: removed
MATCH (r:Node {tenant: $tenant, id: $run_id})-[e]->(t:Node {tenant: $tenant, id: $target})
USING INDEX SEEK r:Node(tenant, id)
WHERE r:Run AND type(e) = $type
DELETE e
RETURN count(*) AS removed
