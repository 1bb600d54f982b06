// One keyset page of each node's incoming or outgoing edges of these types in the client's
// orientation ($keys: {id, outgoing}), ordered by $ranks of the type, source, target: per key one
// row with the count of all of them and at most $limit; no row for a missing node. $reversed:
// types stored target -> source. $after_rank -1 means the first page.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $keys: list<map>, $types: list<string>, $reversed: list<string>, $ranks: map, $after_rank: int, $after_source: string, $after_target: string, $limit: int
// returns: node_id, outgoing, total, page
UNWIND $keys AS key
MATCH (n:Node {tenant: $tenant, id: key.id})
USING INDEX SEEK n:Node(tenant, id)
// n is the stored end of an edge when it is the client's source of a reversed type (outgoing)
// or the client's target of another type (incoming); else it is the stored start.
OPTIONAL MATCH (n)-[r]-(:Node {tenant: $tenant})
WHERE type(r) IN $types
  AND (CASE WHEN key.outgoing = (type(r) IN $reversed) THEN endNode(r) ELSE startNode(r) END) = n
WITH DISTINCT key.id AS node_id, key.outgoing AS outgoing, r
WITH node_id, outgoing, CASE WHEN r IS NULL THEN null ELSE {
       rank: $ranks[type(r)],
       type: type(r),
       source: CASE WHEN type(r) IN $reversed THEN endNode(r).id ELSE startNode(r).id END,
       target: CASE WHEN type(r) IN $reversed THEN startNode(r).id ELSE endNode(r).id END
     } END AS e
ORDER BY e.rank, e.source, e.target
WITH node_id, outgoing, collect(e) AS found
RETURN node_id, outgoing, size(found) AS total,
       [x IN found WHERE x.rank > $after_rank
          OR (x.rank = $after_rank AND (x.source > $after_source
            OR (x.source = $after_source AND x.target > $after_target)))][..$limit] AS page
