// Roll-up of the runs that pass a run filter (as list_runs), per model (the run metadata's
// "model" term, $model_prefix = "model" + U+001F; null when it names none): runs, nodes and
// the sums recordRun keeps on each run. One row per model.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $agent_id: string, $statuses: list<string>, $started_after: int, $started_before: int, $ended_after: int, $ended_before: int, $label: string, $meta_kv: string, $tool_name: string, $has_error: boolean, $session_id: string, $model_prefix: string
// returns: model_term, runs, nodes, tokens, cost, latency, errors
MATCH (r:Run {tenant: $tenant})
USING INDEX SEEK r:Run(tenant)
WHERE ($agent_id IS NULL OR r.agent_id = $agent_id)
  AND (size($statuses) = 0 OR r.status IN $statuses)
  AND ($started_after IS NULL OR r.started_at >= $started_after)
  AND ($started_before IS NULL OR r.started_at < $started_before)
  AND ($ended_after IS NULL OR r.ended_at >= $ended_after)
  AND ($ended_before IS NULL OR r.ended_at < $ended_before)
  AND ($label IS NULL OR $label IN r.labels)
  AND ($meta_kv IS NULL OR $meta_kv IN r.meta_kv)
  AND ($tool_name IS NULL OR $tool_name IN r.tool_names)
  AND ($has_error IS NULL OR $has_error = (coalesce(r.error_count, 0) > 0 OR r.status = 'failed'))
  AND ($session_id IS NULL OR r.session_id = $session_id)
WITH r, head([t IN coalesce(r.meta_kv, []) WHERE t STARTS WITH $model_prefix]) AS model_term
RETURN model_term, count(r) AS runs, sum(coalesce(r.node_count, 0)) AS nodes,
       sum(coalesce(r.tokens_total, 0)) AS tokens, sum(coalesce(r.cost_total, 0.0)) AS cost,
       sum(coalesce(r.latency_total, 0)) AS latency, sum(coalesce(r.error_count, 0)) AS errors
