// Whether a run already has this link: (run)-[type]->(target).
// params: $tenant: string, $run_id: string, $target: string, $type: string
// returns: found
MATCH (r:Node:Run {tenant: $tenant, id: $run_id})-[e]->(t:Node {tenant: $tenant, id: $target})
WHERE type(e) = $type
RETURN count(e) AS found
