// One breadth-first step of an ancestors traversal: the causal edges out of the frontier nodes
// (stored effect -> cause) of the given types, each with its cause.
// With the reached node's text: for answers that select `text` and no other content.
// params: $tenant: string, $ids: list<string>, $types: list<string>
// returns: from_id, type, id, kind, step, run_id, text
UNWIND $ids AS from_id
MATCH (f:Node {tenant: $tenant, id: from_id})-[r:WAS_INFLUENCED_BY|WAS_TRIGGERED_BY|WAS_PRODUCED_BY|CONSUMED|BLOCKED_BY|WAS_DERIVED_FROM|SUPERSEDES|WAS_DISCOVERED_FROM|WAS_GENERATED_BY|WAS_ATTRIBUTED_TO|WAS_ASSOCIATED_WITH|WAS_STARTED_BY|ACTED_ON_BEHALF_OF|WAS_INFORMED_BY|WAS_PART_OF]->(a:Node {tenant: $tenant})
WHERE type(r) IN $types
RETURN from_id, type(r) AS type, a.id AS id, a.kind AS kind, a.step AS step, a.run_id AS run_id,
       a.text AS text
