// The provenance edges touching any of the given nodes, both directions (stored effect -> cause).
// params: $tenant: string, $ids: list<string>, $types: list<string>
// returns: effect, type, cause
UNWIND $ids AS id
MATCH (n:Node {tenant: $tenant, id: id})-[r]-(m:Node {tenant: $tenant})
WHERE type(r) IN $types
RETURN DISTINCT startNode(r).id AS effect, type(r) AS type, endNode(r).id AS cause
