// Whether $from already waits on $to (BLOCKED_BY path, up to 10,000 hops): adding $to blocked_by $from closes a cycle.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $from: string, $to: string
// returns: path_length
MATCH (a:Node {tenant: $tenant, id: $from})
USING INDEX SEEK a:Node(tenant, id)
WHERE a:Task
MATCH (b:Node {tenant: $tenant, id: $to})
USING INDEX SEEK b:Node(tenant, id)
WHERE b:Task
MATCH p = shortestPath((a)-[:BLOCKED_BY*..10000]->(b))
RETURN length(p) AS path_length
