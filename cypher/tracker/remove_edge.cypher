// Removes the stored relationship of this type between two nodes; a missing one is a no-op.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $start: string, $end: string, $rel_type: string
// returns: removed
OPTIONAL MATCH (s:Node {tenant: $tenant, id: $start})-[r]->(e:Node {tenant: $tenant, id: $end})
USING INDEX SEEK s:Node(tenant, id)
WHERE type(r) = $rel_type
WITH collect(r) AS found
FOREACH (r IN found | DELETE r)
RETURN size(found) AS removed
