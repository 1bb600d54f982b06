// The steps of a run with how many nodes each holds.
// params: $tenant: string, $run_id: string
// returns: step, nodes
MATCH (n:Node {tenant: $tenant, run_id: $run_id})
RETURN n.step AS step, count(n) AS nodes
ORDER BY step
