// The same run's edges touching one step, either way (stored effect -> cause).
// params: $tenant: string, $run_id: string, $step: int, $types: list<string>, $limit: int
// returns: effect, type, cause, created_at
MATCH (n:Node {tenant: $tenant, run_id: $run_id, step: $step})-[r]-(m:Node {tenant: $tenant, run_id: $run_id})
WHERE type(r) IN $types
RETURN DISTINCT startNode(r).id AS effect, type(r) AS type, endNode(r).id AS cause,
       r.created_at AS created_at
LIMIT $limit
