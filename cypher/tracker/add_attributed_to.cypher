// Adds task -attributed_to-> agent (stored (:Task)-[:WAS_ATTRIBUTED_TO]->(:Agent)) unless present; no row if an end is missing.
// params: $tenant: string, $source: string, $target: string, $now: int
// returns: created
MATCH (s:Node:Task {tenant: $tenant, id: $source})
MATCH (t:Node:Agent {tenant: $tenant, id: $target})
OPTIONAL MATCH (s)-[old:WAS_ATTRIBUTED_TO]->(t)
WITH s, t, count(old) AS before
MERGE (s)-[r:WAS_ATTRIBUTED_TO]->(t)
ON CREATE SET r.created_at = $now
RETURN before = 0 AS created
