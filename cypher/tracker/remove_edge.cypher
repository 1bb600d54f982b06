// Removes the stored relationship of this type between two nodes; a missing one is a no-op.
// params: $tenant: string, $start: string, $end: string, $rel_type: string
// returns: removed
OPTIONAL MATCH (s:Node {tenant: $tenant, id: $start})-[r]->(e:Node {tenant: $tenant, id: $end})
WHERE type(r) = $rel_type
WITH collect(r) AS found
FOREACH (r IN found | DELETE r)
RETURN size(found) AS removed
