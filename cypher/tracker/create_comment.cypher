// Appends a comment by an agent to a task, numbered in the task's own sequence (time order
// even within one millisecond); no row when the task or the agent is missing.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $task_id: string, $author_id: string, $body: string, $now: int
// returns: id, task_id, author_id, body, created_at, seq
MATCH (t:Node {tenant: $tenant, id: $task_id})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
MATCH (a:Node {tenant: $tenant, id: $author_id})
USING INDEX SEEK a:Node(tenant, id)
WHERE a:Agent
SET t.comment_seq = coalesce(t.comment_seq, 0) + 1
CREATE (c:Node:Comment {
  tenant: $tenant, id: $id, kind: 'comment', created_at: $now, body: $body, seq: t.comment_seq
})
CREATE (c)-[:COMMENTS_ON]->(t)
CREATE (c)-[:WAS_ATTRIBUTED_TO]->(a)
RETURN c.id AS id, t.id AS task_id, a.id AS author_id, c.body AS body, c.created_at AS created_at,
       c.seq AS seq
