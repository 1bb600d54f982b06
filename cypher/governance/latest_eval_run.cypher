// The newest eval run of a version, optionally on one suite; no row when it has none.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $version_id: string, $suite_id: string
// returns: id
MATCH (r:EvalRun {tenant: $tenant})-[:EVALUATED]->(v:Node {tenant: $tenant, id: $version_id})
USING INDEX SEEK v:Node(tenant, id)
MATCH (r)-[:USED]->(s:EvalSuite)
WHERE $suite_id IS NULL OR s.id = $suite_id
RETURN r.id AS id
ORDER BY r.created_at DESC, r.id DESC
LIMIT 1
