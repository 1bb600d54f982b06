// Records new supersedes edges, stored effect -> cause as SUPERSEDES.
// params: $tenant: string, $rows: list<map>
// returns: created
UNWIND $rows AS row
MATCH (a:Node {tenant: $tenant, id: row.effect})
MATCH (b:Node {tenant: $tenant, id: row.cause})
CREATE (a)-[r:SUPERSEDES {sealed: row.sealed, created_at: row.created_at}]->(b)
RETURN count(r) AS created
