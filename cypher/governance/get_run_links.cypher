// A run or run node by id, with the versions it is linked to.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string
// returns: id, kind, agent_version_ids, prompt_version_ids
MATCH (n:Node {tenant: $tenant, id: $id})
USING INDEX SEEK n:Node(tenant, id)
WHERE n.kind IN ['run', 'decision']
OPTIONAL MATCH (n)-[:RAN_WITH]->(av:AgentVersion)
OPTIONAL MATCH (n)-[:USED]->(pv:PromptVersion)
RETURN n.id AS id, n.kind AS kind, collect(DISTINCT av.id) AS agent_version_ids,
       collect(DISTINCT pv.id) AS prompt_version_ids
