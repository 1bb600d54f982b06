// One keyset page of an agent's versions in publication order.
// params: $tenant: string, $agent: string, $after_created: int, $after_id: string, $limit: int
// returns: id, agent, version, model, provider, system_prompt, tools, parameters, changelog, content_hash, supersedes_id, created_at
MATCH (v:AgentVersion {tenant: $tenant, name: $agent})
WHERE $after_created IS NULL OR v.created_at > $after_created
   OR (v.created_at = $after_created AND v.id > $after_id)
OPTIONAL MATCH (v)-[:WAS_REVISION_OF]->(prev:AgentVersion)
RETURN v.id AS id, v.name AS agent, v.version AS version, v.model AS model, v.provider AS provider, v.system_prompt AS system_prompt, v.tools AS tools, v.parameters AS parameters, v.changelog AS changelog, v.content_hash AS content_hash, prev.id AS supersedes_id, v.created_at AS created_at
ORDER BY created_at, id
LIMIT $limit
