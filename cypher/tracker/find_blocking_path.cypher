// Whether $from already waits on $to (BLOCKED_BY path, up to 10,000 hops): adding $to blocked_by $from closes a cycle.
// params: $tenant: string, $from: string, $to: string
// returns: path_length
MATCH (a:Node:Task {tenant: $tenant, id: $from})
MATCH (b:Node:Task {tenant: $tenant, id: $to})
MATCH p = shortestPath((a)-[:BLOCKED_BY*..10000]->(b))
RETURN length(p) AS path_length
