// Causal paths up to length 4 from an effect back to one of its causes (stored direction).
// params: $tenant: string, $effect: string, $cause: string, $types: list<string>, $limit: int
// returns: ids, types
MATCH (b:Node {tenant: $tenant, id: $effect})
MATCH (a:Node {tenant: $tenant, id: $cause})
MATCH p = (b)-[:WAS_INFLUENCED_BY|WAS_TRIGGERED_BY|WAS_PRODUCED_BY|CONSUMED|BLOCKED_BY|WAS_DERIVED_FROM|SUPERSEDES|WAS_DISCOVERED_FROM|WAS_GENERATED_BY|WAS_ATTRIBUTED_TO|WAS_ASSOCIATED_WITH*1..4]->(a)
WHERE all(r IN relationships(p) WHERE type(r) IN $types)
RETURN [n IN nodes(p) | n.id] AS ids, [r IN relationships(p) | type(r)] AS types
LIMIT $limit
