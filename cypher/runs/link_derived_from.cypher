// Records new derived_from edges, stored effect -> cause as WAS_DERIVED_FROM.
// params: $tenant: string, $rows: list<map>
// returns: created
UNWIND $rows AS row
MATCH (a:Node {tenant: $tenant, id: row.effect})
MATCH (b:Node {tenant: $tenant, id: row.cause})
CREATE (a)-[r:WAS_DERIVED_FROM {sealed: row.sealed, created_at: row.created_at}]->(b)
RETURN count(r) AS created
