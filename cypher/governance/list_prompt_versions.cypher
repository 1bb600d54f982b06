// One keyset page of a prompt's versions in publication order, with their labels.
// params: $tenant: string, $prompt: string, $after_created: int, $after_id: string, $limit: int
// returns: id, prompt, version, template, variables, changelog, content_hash, supersedes_id, created_at, labels
MATCH (v:PromptVersion {tenant: $tenant, name: $prompt})
WHERE $after_created IS NULL OR v.created_at > $after_created
   OR (v.created_at = $after_created AND v.id > $after_id)
OPTIONAL MATCH (v)-[:WAS_REVISION_OF]->(prev:PromptVersion)
OPTIONAL MATCH (l:PromptLabel)-[:POINTS_TO]->(v)
WITH v, prev, l ORDER BY l.label
WITH v, prev, collect(l.label) AS labels
RETURN v.id AS id, v.name AS prompt, v.version AS version, v.template AS template, v.variables AS variables, v.changelog AS changelog, v.content_hash AS content_hash, prev.id AS supersedes_id, v.created_at AS created_at, labels
ORDER BY created_at, id
LIMIT $limit
