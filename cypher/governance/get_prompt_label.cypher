// The version a prompt's label points at; no row when the label is unset.
// params: $tenant: string, $id: string
// returns: version_id
MATCH (l:Node:PromptLabel {tenant: $tenant, id: $id})-[:POINTS_TO]->(v:Node:PromptVersion)
RETURN v.id AS version_id
