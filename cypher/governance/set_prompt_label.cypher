// Moves (or creates) a prompt's label to a version: the old POINTS_TO goes, a new one is made.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $prompt: string, $label: string, $version_id: string, $now: int
// returns: version_id
MATCH (v:Node {tenant: $tenant, id: $version_id})
USING INDEX SEEK v:Node(tenant, id)
WHERE v:PromptVersion
MERGE (l:Node:PromptLabel {tenant: $tenant, id: $id})
ON CREATE SET l.kind = 'prompt_label', l.created_at = $now, l.name = $prompt, l.label = $label
SET l.moved_at = $now
WITH l, v
OPTIONAL MATCH (l)-[old:POINTS_TO]->(:PromptVersion)
DELETE old
WITH DISTINCT l, v
CREATE (l)-[:POINTS_TO]->(v)
RETURN v.id AS version_id
