// Every edge leaving a run's nodes (effect in the run) with its cause's stored hash.
// params: $tenant: string, $run_id: string, $types: list<string>
// returns: effect, type, cause, cause_hash, sealed
MATCH (a:Node {tenant: $tenant, run_id: $run_id})-[r]->(c:Node {tenant: $tenant})
WHERE type(r) IN $types
RETURN a.id AS effect, type(r) AS type, c.id AS cause, c.hash AS cause_hash, r.sealed AS sealed
