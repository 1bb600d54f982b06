// Whether a run already has this link: (run)-[type]->(target).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $run_id: string, $target: string, $type: string
// returns: found
MATCH (r:Node {tenant: $tenant, id: $run_id})-[e]->(t:Node {tenant: $tenant, id: $target})
USING INDEX SEEK r:Node(tenant, id)
WHERE r:Run AND type(e) = $type
RETURN count(e) AS found
