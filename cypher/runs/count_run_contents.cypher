// How many nodes these runs hold and how many edges touch them or the runs.
// `n.id IS NOT NULL` (always true) lets Neo4j seek the (tenant, id) index on the tenant alone:
// without it, it reads every tenant's nodes.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $run_ids: list<string>
// returns: nodes, edges
MATCH (n:Node {tenant: $tenant})
USING INDEX SEEK n:Node(tenant, id)
WHERE n.id IS NOT NULL AND (n.run_id IN $run_ids OR (n.kind = 'run' AND n.id IN $run_ids))
OPTIONAL MATCH (n)-[e]-()
RETURN count(DISTINCT CASE WHEN n.kind = 'run' THEN null ELSE n END) AS nodes,
       count(DISTINCT e) AS edges
