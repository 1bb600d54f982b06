// Which of these ids exist in the tenant, with their kind, run and hashes.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, kind, run_id, content_hash, hash, created_at
UNWIND $ids AS id
MATCH (n:Node {tenant: $tenant, id: id})
USING INDEX SEEK n:Node(tenant, id)
RETURN n.id AS id, n.kind AS kind, n.run_id AS run_id, n.content_hash AS content_hash, n.created_at AS created_at,
       n.hash AS hash
