// Records a batch's new run edges, every type in one statement: per type a list of
// {effect, cause, sealed, created_at}, stored effect -> cause (empty lists create nothing).
// params: $tenant: string, $influenced: list<map>, $triggered: list<map>, $produced: list<map>, $consumed: list<map>, $supersedes: list<map>, $derived_from: list<map>
// returns: created
CALL () {
  UNWIND $influenced AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  CREATE (a)-[r:WAS_INFLUENCED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(r) AS influenced
}
CALL () {
  UNWIND $triggered AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  CREATE (a)-[r:WAS_TRIGGERED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(r) AS triggered
}
CALL () {
  UNWIND $produced AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  CREATE (a)-[r:WAS_PRODUCED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(r) AS produced
}
CALL () {
  UNWIND $consumed AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  CREATE (a)-[r:CONSUMED {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(r) AS consumed
}
CALL () {
  UNWIND $supersedes AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  CREATE (a)-[r:SUPERSEDES {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(r) AS supersedes
}
CALL () {
  UNWIND $derived_from AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  CREATE (a)-[r:WAS_DERIVED_FROM {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(r) AS derived_from
}
RETURN influenced + triggered + produced + consumed + supersedes + derived_from AS created
