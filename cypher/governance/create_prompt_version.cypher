// Publishes a prompt version, linked to the version it supersedes (when $supersedes_id is set).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $prompt: string, $version: string, $template: string, $variables: list<string>, $changelog: string, $content_hash: string, $supersedes_id: string, $now: int
// returns: id, prompt, version, template, variables, changelog, content_hash, supersedes_id, created_at, labels
CREATE (v:Node:PromptVersion {
  tenant: $tenant, id: $id, kind: 'prompt_version', created_at: $now, name: $prompt,
  version: $version, template: $template, variables: $variables, changelog: $changelog,
  content_hash: $content_hash
})
WITH v
OPTIONAL MATCH (prev:Node {tenant: $tenant, id: $supersedes_id})
USING INDEX SEEK prev:Node(tenant, id)
WHERE prev:PromptVersion
FOREACH (p IN CASE WHEN prev IS NULL THEN [] ELSE [prev] END | CREATE (v)-[:WAS_REVISION_OF]->(p))
WITH v, prev, [] AS labels
RETURN v.id AS id, v.name AS prompt, v.version AS version, v.template AS template, v.variables AS variables, v.changelog AS changelog, v.content_hash AS content_hash, prev.id AS supersedes_id, v.created_at AS created_at, labels
