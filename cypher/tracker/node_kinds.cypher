// The kind of each node with one of these ids (missing ones are left out).
// params: $tenant: string, $ids: list<string>
// returns: id, kind
UNWIND $ids AS wanted
MATCH (n:Node {tenant: $tenant, id: wanted})
RETURN n.id AS id, n.kind AS kind
