// Links a run to another node of the same tenant: (run)-[:WAS_PART_OF]->(target), effect -> cause;
// idempotent (MERGE). No row when either end is not the tenant's.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $run_id: string, $target: string, $now: int
// returns: linked
MATCH (r:Node {tenant: $tenant, id: $run_id})
USING INDEX SEEK r:Node(tenant, id)
WHERE r:Run
MATCH (t:Node {tenant: $tenant, id: $target})
USING INDEX SEEK t:Node(tenant, id)
MERGE (r)-[e:WAS_PART_OF]->(t)
ON CREATE SET e.created_at = $now
RETURN count(e) AS linked
