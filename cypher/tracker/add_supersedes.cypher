// Adds task -supersedes-> task (stored (:Task)-[:SUPERSEDES]->(:Task)) unless present; no row if an end is missing.
// params: $tenant: string, $source: string, $target: string, $now: int
// returns: created
MATCH (s:Node:Task {tenant: $tenant, id: $source})
MATCH (t:Node:Task {tenant: $tenant, id: $target})
OPTIONAL MATCH (s)-[old:SUPERSEDES]->(t)
WITH s, t, count(old) AS before
MERGE (s)-[r:SUPERSEDES]->(t)
ON CREATE SET r.created_at = $now
RETURN before = 0 AS created
