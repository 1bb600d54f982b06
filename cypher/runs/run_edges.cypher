// The edges between nodes of one run (stored effect -> cause).
// params: $tenant: string, $run_id: string, $types: list<string>, $limit: int
// returns: effect, type, cause, created_at
MATCH (a:Node {tenant: $tenant, run_id: $run_id})-[r]->(b:Node {tenant: $tenant, run_id: $run_id})
WHERE type(r) IN $types
RETURN a.id AS effect, type(r) AS type, b.id AS cause, r.created_at AS created_at
LIMIT $limit
