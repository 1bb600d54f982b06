// Roll-up of some run nodes (a traversal answer) in one round trip: per model (the metadata
// "model" term of each node's run, null when none) the nodes, their runs and their sums.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>, $model_prefix: string
// returns: model_term, runs, nodes, tokens, cost, latency, errors
UNWIND $ids AS nid
MATCH (n:Node {tenant: $tenant, id: nid})
USING INDEX SEEK n:Node(tenant, id)
WHERE n.run_id IS NOT NULL
WITH n.run_id AS rid, count(n) AS nodes, sum(coalesce(n.tokens, 0)) AS tokens,
     sum(coalesce(n.cost, 0.0)) AS cost, sum(coalesce(n.latency_ms, 0)) AS latency,
     sum(CASE WHEN n.error IS NOT NULL OR toLower(coalesce(n.tool_status, '')) = 'error'
         THEN 1 ELSE 0 END) AS errors
OPTIONAL MATCH (r:Node {tenant: $tenant, id: rid})
USING INDEX SEEK r:Node(tenant, id)
WHERE r:Run
WITH rid, nodes, tokens, cost, latency, errors,
     head([t IN coalesce(r.meta_kv, []) WHERE t STARTS WITH $model_prefix]) AS model_term
RETURN model_term, count(rid) AS runs, sum(nodes) AS nodes, sum(tokens) AS tokens,
       sum(cost) AS cost, sum(latency) AS latency, sum(errors) AS errors
