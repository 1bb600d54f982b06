// Search every run node and run of the tenant: a node matches when its text, JSON, tool name,
// arguments, error (runs: metadata, agent) contain one of $terms (lower-case), case-insensitive.
// Ranked: 2 per term matched, 1 more when the tool name is a term; then id. A scan of the
// tenant's nodes (portable: no full-text index), every hit counted, one page returned.
// `n.id IS NOT NULL` (always true) lets Neo4j seek the (tenant, id) index on the tenant alone:
// without it, it reads every tenant's nodes.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $terms: list<string>, $kinds: list<string>, $after_score: int, $after_id: string, $limit: int
// returns: total, page
MATCH (n:Node {tenant: $tenant})
USING INDEX SEEK n:Node(tenant, id)
WHERE n.id IS NOT NULL AND n.kind IN $kinds
WITH n, toLower(coalesce(n.text, '') + ' ' + coalesce(n.json, '') + ' ' + coalesce(n.tool_name, '') + ' '
           + coalesce(n.arguments, '') + ' ' + coalesce(n.error, '') + ' ' + coalesce(n.metadata, '')
           + ' ' + coalesce(n.agent_id, '')) AS hay
WITH n, size([t IN $terms WHERE hay CONTAINS t]) AS hits
WHERE hits > 0
WITH n, hits * 2 + CASE WHEN toLower(coalesce(n.tool_name, '')) IN $terms THEN 1 ELSE 0 END AS score
ORDER BY score DESC, n.id
WITH collect({id: n.id, kind: n.kind, run_id: coalesce(n.run_id, n.id), score: score}) AS found
RETURN size(found) AS total,
       [h IN found WHERE $after_id IS NULL OR h.score < $after_score
                         OR (h.score = $after_score AND h.id > $after_id)][..$limit] AS page
