// Eval suites by id with their cases (ordered by case id).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, name, description, created_at, case_ids, inputs, expected
UNWIND $ids AS wanted
MATCH (s:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK s:Node(tenant, id)
WHERE s:EvalSuite
OPTIONAL MATCH (c:EvalCase)-[:BELONGS_TO]->(s)
WITH s, c ORDER BY c.case_id
WITH s, collect(c.case_id) AS case_ids, collect(c.input) AS inputs,
     collect(coalesce(c.expected, '')) AS expected
RETURN s.id AS id, s.name AS name, s.description AS description, s.created_at AS created_at,
       case_ids, inputs, expected
