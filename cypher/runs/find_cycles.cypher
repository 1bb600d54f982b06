// The new edges (effect -> cause) whose cause already reaches their effect: each closes a cycle.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $rows: list<map>
// returns: index
UNWIND $rows AS row
MATCH (c:Node {tenant: $tenant, id: row.cause})
USING INDEX SEEK c:Node(tenant, id)
MATCH (e:Node {tenant: $tenant, id: row.effect})
USING INDEX SEEK e:Node(tenant, id)
MATCH p = shortestPath((c)-[:WAS_INFLUENCED_BY|WAS_TRIGGERED_BY|WAS_PRODUCED_BY|CONSUMED|BLOCKED_BY|WAS_DERIVED_FROM|SUPERSEDES|WAS_DISCOVERED_FROM|WAS_GENERATED_BY|WAS_ATTRIBUTED_TO|WAS_ASSOCIATED_WITH|WAS_STARTED_BY|ACTED_ON_BEHALF_OF|WAS_INFORMED_BY|WAS_PART_OF*1..10000]->(e))
RETURN DISTINCT row.index AS index
