// Roll-up of the runs linked to each version (a decision's prompt counts for its run): runs, failed runs, error nodes, tokens, cost, latency.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, runs, failed_runs, error_nodes, tokens, cost, latency_ms
UNWIND $ids AS wanted
MATCH (v:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK v:Node(tenant, id)
WHERE v.kind IN ['agent_version', 'prompt_version']
OPTIONAL MATCH (linked:Node {tenant: $tenant})-[:RAN_WITH|USED]->(v)
WHERE linked.kind IN ['run', 'decision']
WITH v, collect(DISTINCT coalesce(linked.run_id, linked.id)) AS run_ids
UNWIND (CASE WHEN size(run_ids) = 0 THEN [null] ELSE run_ids END) AS run_id
OPTIONAL MATCH (r:Node {tenant: $tenant, id: run_id})
USING INDEX SEEK r:Node(tenant, id)
WHERE r:Run
OPTIONAL MATCH (n:Node {run_id: run_id})
WHERE n.tenant = $tenant
WITH v, r, sum(coalesce(n.tokens, 0)) AS tokens, sum(coalesce(n.cost, 0.0)) AS cost,
     sum(coalesce(n.latency_ms, 0)) AS latency_ms,
     sum(CASE WHEN n.error IS NULL THEN 0 ELSE 1 END) AS error_nodes
RETURN v.id AS id, count(r) AS runs,
       sum(CASE WHEN r.status = 'failed' THEN 1 ELSE 0 END) AS failed_runs,
       sum(error_nodes) AS error_nodes, sum(tokens) AS tokens, sum(cost) AS cost,
       sum(latency_ms) AS latency_ms
