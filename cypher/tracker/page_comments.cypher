// One keyset page of each task's comments, oldest first (by the task's own seq, then id): per
// task one row with the count of all its comments and at most $limit of them; no row for a
// missing task. $after_seq 0 and $after_id '' mean the first page.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>, $after_seq: int, $after_id: string, $limit: int
// returns: task_id, total, page
UNWIND $ids AS wanted
MATCH (t:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
OPTIONAL MATCH (c:Comment {tenant: $tenant})-[:COMMENTS_ON]->(t)
WITH wanted, c
ORDER BY c.seq, c.id
WITH wanted, collect(c) AS found
WITH wanted, size(found) AS total,
     [x IN found WHERE x.seq > $after_seq OR (x.seq = $after_seq AND x.id > $after_id)][..$limit] AS page
RETURN wanted AS task_id, total,
       [x IN page | {
         id: x.id,
         author_id: head([(x)-[:WAS_ATTRIBUTED_TO]->(a:Agent) | a.id]),
         body: x.body,
         created_at: x.created_at,
         seq: x.seq
       }] AS page
