// Deletes these runs and every node of theirs, with their edges.
// params: $tenant: string, $run_ids: list<string>
// returns: deleted
MATCH (n:Node {tenant: $tenant})
WHERE n.run_id IN $run_ids OR (n.kind = 'run' AND n.id IN $run_ids)
DETACH DELETE n
RETURN count(*) AS deleted
