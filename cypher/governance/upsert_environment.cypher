// Creates an environment or replaces its gate policy.
// params: $tenant: string, $id: string, $name: string, $now: int, $min_pass_rate: float, $min_mean_score: float, $max_tokens_per_case: int, $max_cost_per_case: float, $max_total_tokens: int, $max_total_cost: float, $suite_id: string
// returns: name, created_at, min_pass_rate, min_mean_score, max_tokens_per_case, max_cost_per_case, max_total_tokens, max_total_cost, suite_id
MERGE (e:Node:Environment {tenant: $tenant, id: $id})
ON CREATE SET e.kind = 'environment', e.created_at = $now, e.name = $name
SET e.min_pass_rate = $min_pass_rate, e.min_mean_score = $min_mean_score,
    e.max_tokens_per_case = $max_tokens_per_case, e.max_cost_per_case = $max_cost_per_case,
    e.max_total_tokens = $max_total_tokens, e.max_total_cost = $max_total_cost,
    e.suite_id = $suite_id
RETURN e.name AS name, e.created_at AS created_at, e.min_pass_rate AS min_pass_rate, e.min_mean_score AS min_mean_score, e.max_tokens_per_case AS max_tokens_per_case, e.max_cost_per_case AS max_cost_per_case, e.max_total_tokens AS max_total_tokens, e.max_total_cost AS max_total_cost, e.suite_id AS suite_id
