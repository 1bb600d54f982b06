// The per-case results of eval runs, ordered by run then case id.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $run_ids: list<string>
// returns: run_id, case_id, passed, score, tokens, cost, latency_ms, output
UNWIND $run_ids AS wanted
MATCH (x:EvalResult)-[:BELONGS_TO]->(r:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK r:Node(tenant, id)
WHERE r:EvalRun
RETURN r.id AS run_id, x.case_id AS case_id, x.passed AS passed, x.score AS score,
       x.tokens AS tokens, x.cost AS cost, x.latency_ms AS latency_ms, x.output AS output
ORDER BY run_id, case_id
