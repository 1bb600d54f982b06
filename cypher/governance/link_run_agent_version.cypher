// Records that a run ran as an agent version (idempotent).
// params: $tenant: string, $id: string, $version_id: string
// returns: id
MATCH (n:Node:Run {tenant: $tenant, id: $id})
MATCH (v:Node:AgentVersion {tenant: $tenant, id: $version_id})
MERGE (n)-[:RAN_WITH]->(v)
RETURN n.id AS id
