// Adds task -derived_from-> task (stored (:Task)-[:WAS_DERIVED_FROM]->(:Task)) unless present; no row if an end is missing.
// params: $tenant: string, $source: string, $target: string, $now: int
// returns: created
MATCH (s:Node:Task {tenant: $tenant, id: $source})
MATCH (t:Node:Task {tenant: $tenant, id: $target})
OPTIONAL MATCH (s)-[old:WAS_DERIVED_FROM]->(t)
WITH s, t, count(old) AS before
MERGE (s)-[r:WAS_DERIVED_FROM]->(t)
ON CREATE SET r.created_at = $now
RETURN before = 0 AS created
