// All comments on each of these tasks, in time order (DataLoader).
// params: $tenant: string, $ids: list<string>
// returns: id, task_id, author_id, body, created_at, seq
UNWIND $ids AS wanted
MATCH (c:Node:Comment {tenant: $tenant})-[:COMMENTS_ON]->(t:Node:Task {tenant: $tenant, id: wanted})
OPTIONAL MATCH (c)-[:WAS_ATTRIBUTED_TO]->(a:Node:Agent {tenant: $tenant})
RETURN c.id AS id, t.id AS task_id, a.id AS author_id, c.body AS body, c.created_at AS created_at,
       c.seq AS seq
ORDER BY task_id, seq, id
