// Eval runs by id with their aggregates, suite and version.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, suite_id, version_id, created_at, cases, passed, pass_rate, mean_score, total_tokens, total_cost, mean_latency_ms, max_tokens_per_case, max_cost_per_case
UNWIND $ids AS wanted
MATCH (r:Node {tenant: $tenant, id: wanted})-[:USED]->(s:EvalSuite)
USING INDEX SEEK r:Node(tenant, id)
WHERE r:EvalRun
MATCH (r)-[:EVALUATED]->(v:Node)
RETURN r.id AS id, s.id AS suite_id, v.id AS version_id, r.created_at AS created_at, r.cases AS cases, r.passed AS passed, r.pass_rate AS pass_rate, r.mean_score AS mean_score, r.total_tokens AS total_tokens, r.total_cost AS total_cost, r.mean_latency_ms AS mean_latency_ms, r.max_tokens_per_case AS max_tokens_per_case, r.max_cost_per_case AS max_cost_per_case
