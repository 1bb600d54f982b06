// Adds task -blocked_by-> task (stored (:Task)-[:BLOCKED_BY]->(:Task)) unless present; no row if an end is missing.
// params: $tenant: string, $source: string, $target: string, $now: int
// returns: created
MATCH (s:Node:Task {tenant: $tenant, id: $source})
MATCH (t:Node:Task {tenant: $tenant, id: $target})
OPTIONAL MATCH (s)-[old:BLOCKED_BY]->(t)
WITH s, t, count(old) AS before
MERGE (s)-[r:BLOCKED_BY]->(t)
ON CREATE SET r.created_at = $now
RETURN before = 0 AS created
