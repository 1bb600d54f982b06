// Records that a run or decision used a prompt version (idempotent).
// params: $tenant: string, $id: string, $version_id: string
// returns: id
MATCH (n:Node {tenant: $tenant, id: $id})
WHERE n.kind IN ['run', 'decision']
MATCH (v:Node:PromptVersion {tenant: $tenant, id: $version_id})
MERGE (n)-[:USED]->(v)
RETURN n.id AS id
