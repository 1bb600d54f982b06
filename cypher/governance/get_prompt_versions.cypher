// The prompt versions with these ids and the labels pointing at them.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, prompt, version, template, variables, changelog, content_hash, supersedes_id, created_at, labels
UNWIND $ids AS wanted
MATCH (v:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK v:Node(tenant, id)
WHERE v:PromptVersion
OPTIONAL MATCH (v)-[:WAS_REVISION_OF]->(prev:PromptVersion)
OPTIONAL MATCH (l:PromptLabel)-[:POINTS_TO]->(v)
WITH v, prev, l ORDER BY l.label
WITH v, prev, collect(l.label) AS labels
RETURN v.id AS id, v.name AS prompt, v.version AS version, v.template AS template, v.variables AS variables, v.changelog AS changelog, v.content_hash AS content_hash, prev.id AS supersedes_id, v.created_at AS created_at, labels
