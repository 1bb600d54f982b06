// Search the nodes of some runs (and the runs themselves) like search_nodes: ranked hits of
// $terms, every hit counted, one page returned. Reads only these runs' nodes (run_id index).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $run_ids: list<string>, $terms: list<string>, $kinds: list<string>, $after_score: int, $after_id: string, $limit: int
// returns: total, page
CALL () {
  UNWIND $run_ids AS rid
  MATCH (n:Node {tenant: $tenant, run_id: rid})
  WHERE n.kind IN $kinds
  RETURN n
  UNION
  UNWIND $run_ids AS rid
  MATCH (n:Node {tenant: $tenant, id: rid})
  USING INDEX SEEK n:Node(tenant, id)
  WHERE n:Run AND n.kind IN $kinds
  RETURN n
}
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
