// One environment and its gate policy; no row when it does not exist.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string
// returns: name, created_at, min_pass_rate, min_mean_score, max_tokens_per_case, max_cost_per_case, max_total_tokens, max_total_cost, suite_id
MATCH (e:Node {tenant: $tenant, id: $id})
USING INDEX SEEK e:Node(tenant, id)
WHERE e:Environment
RETURN e.name AS name, e.created_at AS created_at, e.min_pass_rate AS min_pass_rate, e.min_mean_score AS min_mean_score, e.max_tokens_per_case AS max_tokens_per_case, e.max_cost_per_case AS max_cost_per_case, e.max_total_tokens AS max_total_tokens, e.max_total_cost AS max_total_cost, e.suite_id AS suite_id
