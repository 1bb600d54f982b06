// The new edges (effect -> cause) whose cause already reaches their effect: each closes a cycle.
// params: $tenant: string, $rows: list<map>
// returns: index
UNWIND $rows AS row
MATCH (c:Node {tenant: $tenant, id: row.cause})
MATCH (e:Node {tenant: $tenant, id: row.effect})
MATCH p = shortestPath((c)-[:WAS_INFLUENCED_BY|WAS_TRIGGERED_BY|WAS_PRODUCED_BY|CONSUMED|BLOCKED_BY|WAS_DERIVED_FROM|SUPERSEDES|WAS_DISCOVERED_FROM|WAS_GENERATED_BY|WAS_ATTRIBUTED_TO|WAS_ASSOCIATED_WITH|WAS_STARTED_BY|ACTED_ON_BEHALF_OF|WAS_INFORMED_BY|WAS_PART_OF*1..10000]->(e))
RETURN DISTINCT row.index AS index
