// The kind of each node with one of these ids (missing ones are left out).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, kind
UNWIND $ids AS wanted
MATCH (n:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK n:Node(tenant, id)
RETURN n.id AS id, n.kind AS kind
