// Records an eval run of a version on a suite with its aggregates and one result per case.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $suite_id: string, $version_id: string, $now: int, $cases: int, $passed: int, $pass_rate: float, $mean_score: float, $total_tokens: int, $total_cost: float, $mean_latency_ms: float, $max_tokens_per_case: int, $max_cost_per_case: float, $results: list<map>
// returns: id
MATCH (s:Node {tenant: $tenant, id: $suite_id})
USING INDEX SEEK s:Node(tenant, id)
WHERE s:EvalSuite
MATCH (v:Node {tenant: $tenant, id: $version_id})
USING INDEX SEEK v:Node(tenant, id)
CREATE (r:Node:EvalRun {tenant: $tenant, id: $id, kind: 'eval_run', created_at: $now,
  cases: $cases, passed: $passed, pass_rate: $pass_rate, mean_score: $mean_score,
  total_tokens: $total_tokens, total_cost: $total_cost, mean_latency_ms: $mean_latency_ms,
  max_tokens_per_case: $max_tokens_per_case, max_cost_per_case: $max_cost_per_case})
CREATE (r)-[:EVALUATED]->(v)
CREATE (r)-[:USED]->(s)
WITH r, s
UNWIND $results AS res
MATCH (c:Node {tenant: $tenant, id: res.case_node_id})
USING INDEX SEEK c:Node(tenant, id)
WHERE c:EvalCase
CREATE (x:Node:EvalResult {tenant: $tenant, id: res.node_id, kind: 'eval_result',
  created_at: $now, case_id: res.case_id, passed: res.passed, score: res.score,
  tokens: res.tokens, cost: res.cost, latency_ms: res.latency_ms, output: res.output})
CREATE (x)-[:BELONGS_TO]->(r)
CREATE (x)-[:ASSESSED]->(c)
WITH DISTINCT r
RETURN r.id AS id
