// The agent versions with these ids (missing ones are left out).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, agent, version, model, provider, system_prompt, tools, parameters, changelog, content_hash, supersedes_id, created_at
UNWIND $ids AS wanted
MATCH (v:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK v:Node(tenant, id)
WHERE v:AgentVersion
OPTIONAL MATCH (v)-[:WAS_REVISION_OF]->(prev:AgentVersion)
RETURN v.id AS id, v.name AS agent, v.version AS version, v.model AS model, v.provider AS provider, v.system_prompt AS system_prompt, v.tools AS tools, v.parameters AS parameters, v.changelog AS changelog, v.content_hash AS content_hash, prev.id AS supersedes_id, v.created_at AS created_at
