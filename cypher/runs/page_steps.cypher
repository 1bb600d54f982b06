// One keyset page of each run's steps in order, with how many nodes each holds: per run one row
// with the count of all its steps and at most $limit of them. $after_step -1 means the first page.
// params: $tenant: string, $ids: list<string>, $after_step: int, $limit: int
// returns: run_id, total, page
UNWIND $ids AS rid
OPTIONAL MATCH (n:Node {tenant: $tenant, run_id: rid})
WITH rid, n.step AS step, count(n) AS nodes
ORDER BY step
WITH rid, collect(CASE WHEN step IS NULL THEN null ELSE {step: step, nodes: nodes} END) AS found
RETURN rid AS run_id, size(found) AS total, [s IN found WHERE s.step > $after_step][..$limit] AS page
