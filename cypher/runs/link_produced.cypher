// Records new produced edges, stored effect -> cause as WAS_PRODUCED_BY.
// params: $tenant: string, $rows: list<map>
// returns: created
UNWIND $rows AS row
MATCH (a:Node {tenant: $tenant, id: row.effect})
MATCH (b:Node {tenant: $tenant, id: row.cause})
CREATE (a)-[r:WAS_PRODUCED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)
RETURN count(r) AS created
