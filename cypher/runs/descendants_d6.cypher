// Descendants of a node up to depth 6: all it could have affected, each at its distance.
// params: $tenant: string, $id: string, $types: list<string>, $kinds: list<string>, $limit: int
// returns: id, kind, step, run_id, distance, via
MATCH (x:Node {tenant: $tenant, id: $id})
MATCH p = (x)<-[:WAS_INFLUENCED_BY|WAS_TRIGGERED_BY|WAS_PRODUCED_BY|CONSUMED|BLOCKED_BY|WAS_DERIVED_FROM|SUPERSEDES|WAS_DISCOVERED_FROM|WAS_GENERATED_BY|WAS_ATTRIBUTED_TO|WAS_ASSOCIATED_WITH*1..6]-(a:Node {tenant: $tenant})
WHERE all(r IN relationships(p) WHERE type(r) IN $types)
WITH a, length(p) AS len, last(relationships(p)) AS r
WITH a, min(len) AS distance, collect(DISTINCT [type(r), endNode(r).id]) AS via
WHERE size($kinds) = 0 OR a.kind IN $kinds
RETURN a.id AS id, a.kind AS kind, a.step AS step, a.run_id AS run_id, distance, via
ORDER BY distance, id
LIMIT $limit
