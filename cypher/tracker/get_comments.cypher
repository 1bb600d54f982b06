// The comments with these ids (missing ones are left out), for Relay lookups.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, task_id, author_id, body, created_at, seq
UNWIND $ids AS wanted
MATCH (c:Node {tenant: $tenant, id: wanted})-[:COMMENTS_ON]->(t:Task)
USING INDEX SEEK c:Node(tenant, id)
WHERE c:Comment
OPTIONAL MATCH (c)-[:WAS_ATTRIBUTED_TO]->(a:Agent)
RETURN c.id AS id, t.id AS task_id, a.id AS author_id, c.body AS body, c.created_at AS created_at,
       c.seq AS seq
