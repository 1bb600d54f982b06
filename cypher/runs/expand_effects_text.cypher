// One breadth-first step of a descendants traversal: the causal edges into the frontier nodes
// (stored effect -> cause) of the given types, each with its effect.
// One row per frontier node, its edges in `reached` (one map each: type, id, kind, step, run_id, text):
// the driver's cost is per row, ~11 us (one level of 4,530 edges from 755 nodes: 51 ms of
// client CPU as one row per edge, 14 ms as one row per node).
// With the reached node's text: for answers that select `text` and no other content.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>, $types: list<string>
// returns: from_id, reached
UNWIND $ids AS from_id
MATCH (f:Node {tenant: $tenant, id: from_id})<-[r:WAS_INFLUENCED_BY|WAS_TRIGGERED_BY|WAS_PRODUCED_BY|CONSUMED|BLOCKED_BY|WAS_DERIVED_FROM|SUPERSEDES|WAS_DISCOVERED_FROM|WAS_GENERATED_BY|WAS_ATTRIBUTED_TO|WAS_ASSOCIATED_WITH|WAS_STARTED_BY|ACTED_ON_BEHALF_OF|WAS_INFORMED_BY|WAS_PART_OF]-(a:Node {tenant: $tenant})
USING INDEX SEEK f:Node(tenant, id)
WHERE type(r) IN $types
RETURN from_id, collect({type: type(r), id: a.id, kind: a.kind, step: a.step, run_id: a.run_id, text: a.text}) AS reached
