// Roll-up of each session's runs per model (as rollup_runs), for a DataLoader.
// params: $tenant: string, $ids: list<string>, $model_prefix: string
// returns: session_id, model_term, runs, nodes, tokens, cost, latency, errors
UNWIND $ids AS sid
MATCH (r:Run {tenant: $tenant, session_id: sid})
WITH sid, r, head([t IN coalesce(r.meta_kv, []) WHERE t STARTS WITH $model_prefix]) AS model_term
RETURN sid AS session_id, model_term, count(r) AS runs, sum(coalesce(r.node_count, 0)) AS nodes,
       sum(coalesce(r.tokens_total, 0)) AS tokens, sum(coalesce(r.cost_total, 0.0)) AS cost,
       sum(coalesce(r.latency_total, 0)) AS latency, sum(coalesce(r.error_count, 0)) AS errors
