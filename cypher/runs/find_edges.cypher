// Which of these (effect, type, cause) edges exist already.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $rows: list<map>
// returns: effect, type, cause
UNWIND $rows AS row
MATCH (a:Node {tenant: $tenant, id: row.effect})-[r]->(b:Node {tenant: $tenant, id: row.cause})
USING INDEX SEEK a:Node(tenant, id)
WHERE type(r) = row.type
RETURN DISTINCT row.effect AS effect, row.type AS type, row.cause AS cause
