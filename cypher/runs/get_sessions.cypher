// Sessions by id: the runs that carry each session id, summed up (missing ones are left out).
// params: $tenant: string, $ids: list<string>
// returns: id, runs, first_at, last_at, ended_at, agent_ids, errors, failed_runs
UNWIND $ids AS sid
MATCH (r:Run {tenant: $tenant, session_id: sid})
WITH sid, count(r) AS runs, min(r.sort_at) AS first_at, max(r.sort_at) AS last_at,
     max(r.ended_at) AS ended_at, collect(DISTINCT r.agent_id) AS agent_ids,
     sum(coalesce(r.error_count, 0)) AS errors, sum(CASE WHEN r.status = 'failed' THEN 1 ELSE 0 END) AS failed_runs
RETURN sid AS id, runs, first_at, last_at, ended_at, agent_ids, errors, failed_runs
