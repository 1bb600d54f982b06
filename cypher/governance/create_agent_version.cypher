// Publishes an agent version, linked to the version it supersedes (when $supersedes_id is set).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $agent: string, $version: string, $model: string, $provider: string, $system_prompt: string, $tools: list<string>, $parameters: string, $changelog: string, $content_hash: string, $supersedes_id: string, $now: int
// returns: id, agent, version, model, provider, system_prompt, tools, parameters, changelog, content_hash, supersedes_id, created_at
CREATE (v:Node:AgentVersion {
  tenant: $tenant, id: $id, kind: 'agent_version', created_at: $now, name: $agent,
  version: $version, model: $model, provider: $provider, system_prompt: $system_prompt,
  tools: $tools, parameters: $parameters, changelog: $changelog, content_hash: $content_hash
})
WITH v
OPTIONAL MATCH (prev:Node {tenant: $tenant, id: $supersedes_id})
USING INDEX SEEK prev:Node(tenant, id)
WHERE prev:AgentVersion
FOREACH (p IN CASE WHEN prev IS NULL THEN [] ELSE [prev] END | CREATE (v)-[:WAS_REVISION_OF]->(p))
RETURN v.id AS id, v.name AS agent, v.version AS version, v.model AS model, v.provider AS provider, v.system_prompt AS system_prompt, v.tools AS tools, v.parameters AS parameters, v.changelog AS changelog, v.content_hash AS content_hash, prev.id AS supersedes_id, v.created_at AS created_at
