// One keyset page of a task's comments in time order.
// params: $tenant: string, $task_id: string, $after_seq: int, $after_id: string, $limit: int
// returns: id, task_id, author_id, body, created_at, seq
MATCH (c:Node:Comment {tenant: $tenant})-[:COMMENTS_ON]->(t:Node:Task {tenant: $tenant, id: $task_id})
WHERE $after_seq IS NULL OR c.seq > $after_seq OR (c.seq = $after_seq AND c.id > $after_id)
OPTIONAL MATCH (c)-[:WAS_ATTRIBUTED_TO]->(a:Node:Agent {tenant: $tenant})
RETURN c.id AS id, t.id AS task_id, a.id AS author_id, c.body AS body, c.created_at AS created_at,
       c.seq AS seq
ORDER BY seq, id
LIMIT $limit
