// The edges between nodes of one run (stored effect -> cause).
// params: $tenant: string, $run_id: string, $types: list<string>, $limit: int
// returns: effect, type, cause
MATCH (a:Node {tenant: $tenant, run_id: $run_id})-[r]->(b:Node {tenant: $tenant, run_id: $run_id})
WHERE type(r) IN $types
RETURN a.id AS effect, type(r) AS type, b.id AS cause
LIMIT $limit
