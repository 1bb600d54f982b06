// How many nodes these runs hold and how many edges touch them or the runs.
// params: $tenant: string, $run_ids: list<string>
// returns: nodes, edges
MATCH (n:Node {tenant: $tenant})
WHERE n.run_id IN $run_ids OR (n.kind = 'run' AND n.id IN $run_ids)
OPTIONAL MATCH (n)-[e]-()
RETURN count(DISTINCT CASE WHEN n.kind = 'run' THEN null ELSE n END) AS nodes,
       count(DISTINCT e) AS edges
