// The version a prompt's label points at; no row when the label is unset.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string
// returns: version_id
MATCH (l:Node {tenant: $tenant, id: $id})-[:POINTS_TO]->(v:PromptVersion)
USING INDEX SEEK l:Node(tenant, id)
WHERE l:PromptLabel
RETURN v.id AS version_id
