// One keyset page of each task's edges of these types (both directions) in the client's
// orientation, ordered by $ranks of the type, source, target: per task one row with the count
// of all of them and at most $limit; no row for a missing task. $reversed: types stored
// target -> source. $after_rank -1 means the first page.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>, $rel_types: list<string>, $reversed: list<string>, $ranks: map, $after_rank: int, $after_source: string, $after_target: string, $limit: int
// returns: task_id, total, page
UNWIND $ids AS wanted
MATCH (t:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
OPTIONAL MATCH (t)-[r]-(:Node {tenant: $tenant})
WHERE type(r) IN $rel_types
WITH DISTINCT wanted, r
WITH wanted, CASE WHEN r IS NULL THEN null ELSE {
       rank: $ranks[type(r)],
       type: type(r),
       source: CASE WHEN type(r) IN $reversed THEN endNode(r).id ELSE startNode(r).id END,
       target: CASE WHEN type(r) IN $reversed THEN startNode(r).id ELSE endNode(r).id END
     } END AS e
ORDER BY e.rank, e.source, e.target
WITH wanted, collect(e) AS found
RETURN wanted AS task_id, size(found) AS total,
       [x IN found WHERE x.rank > $after_rank
          OR (x.rank = $after_rank AND (x.source > $after_source
            OR (x.source = $after_source AND x.target > $after_target)))][..$limit] AS page
