// Adds task -generated_by-> activity (stored (:Task)-[:WAS_GENERATED_BY]->(:Activity)) unless present; no row if an end is missing.
// params: $tenant: string, $source: string, $target: string, $now: int
// returns: created
MATCH (s:Node:Task {tenant: $tenant, id: $source})
MATCH (t:Node:Activity {tenant: $tenant, id: $target})
OPTIONAL MATCH (s)-[old:WAS_GENERATED_BY]->(t)
WITH s, t, count(old) AS before
MERGE (s)-[r:WAS_GENERATED_BY]->(t)
ON CREATE SET r.created_at = $now
RETURN before = 0 AS created
