// Eval suites by id with their cases (ordered by case id).
// params: $tenant: string, $ids: list<string>
// returns: id, name, description, created_at, case_ids, inputs, expected
UNWIND $ids AS wanted
MATCH (s:Node:EvalSuite {tenant: $tenant, id: wanted})
OPTIONAL MATCH (c:Node:EvalCase)-[:BELONGS_TO]->(s)
WITH s, c ORDER BY c.case_id
WITH s, collect(c.case_id) AS case_ids, collect(c.input) AS inputs,
     collect(coalesce(c.expected, '')) AS expected
RETURN s.id AS id, s.name AS name, s.description AS description, s.created_at AS created_at,
       case_ids, inputs, expected
