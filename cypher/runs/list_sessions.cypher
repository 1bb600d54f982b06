// One keyset page of the tenant's sessions, latest activity first (the start of their last run,
// then id), each filter ignored when null, with the count of every matching session.
// $active_after: a run of the session started at or after it; $active_before: one before it.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $agent_id: string, $active_after: int, $active_before: int, $after_at: int, $after_id: string, $limit: int
// returns: total, page
MATCH (r:Run {tenant: $tenant})
USING INDEX SEEK r:Run(tenant)
WHERE r.session_id IS NOT NULL
WITH r.session_id AS sid, count(r) AS runs, min(r.sort_at) AS first_at, max(r.sort_at) AS last_at,
     max(r.ended_at) AS ended_at, collect(DISTINCT r.agent_id) AS agent_ids,
     sum(coalesce(r.error_count, 0)) AS errors, sum(CASE WHEN r.status = 'failed' THEN 1 ELSE 0 END) AS failed_runs
WHERE ($agent_id IS NULL OR $agent_id IN agent_ids)
  AND ($active_after IS NULL OR last_at >= $active_after)
  AND ($active_before IS NULL OR first_at < $active_before)
WITH sid, runs, first_at, last_at, ended_at, agent_ids, errors, failed_runs
ORDER BY last_at DESC, sid DESC
WITH collect({id: sid, runs: runs, first_at: first_at, last_at: last_at, ended_at: ended_at,
              agent_ids: agent_ids, errors: errors, failed_runs: failed_runs}) AS found
RETURN size(found) AS total,
       [s IN found WHERE $after_id IS NULL OR s.last_at < $after_at
                         OR (s.last_at = $after_at AND s.id < $after_id)][..$limit] AS page
