// Links a run to another node of the same tenant: (run)-[:ACTED_ON_BEHALF_OF]->(target), effect -> cause;
// idempotent (MERGE). No row when either end is not the tenant's.
// params: $tenant: string, $run_id: string, $target: string, $now: int
// returns: linked
MATCH (r:Node:Run {tenant: $tenant, id: $run_id})
MATCH (t:Node {tenant: $tenant, id: $target})
MERGE (r)-[e:ACTED_ON_BEHALF_OF]->(t)
ON CREATE SET e.created_at = $now
RETURN count(e) AS linked
