// Which of these (effect, type, cause) edges exist already.
// params: $tenant: string, $rows: list<map>
// returns: effect, type, cause
UNWIND $rows AS row
MATCH (a:Node {tenant: $tenant, id: row.effect})-[r]->(b:Node {tenant: $tenant, id: row.cause})
WHERE type(r) = row.type
RETURN DISTINCT row.effect AS effect, row.type AS type, row.cause AS cause
