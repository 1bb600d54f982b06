// Records that a run ran as an agent version (idempotent).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $version_id: string
// returns: id
MATCH (n:Node {tenant: $tenant, id: $id})
USING INDEX SEEK n:Node(tenant, id)
WHERE n:Run
MATCH (v:Node {tenant: $tenant, id: $version_id})
USING INDEX SEEK v:Node(tenant, id)
WHERE v:AgentVersion
MERGE (n)-[:RAN_WITH]->(v)
RETURN n.id AS id
