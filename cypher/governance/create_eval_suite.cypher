// Creates an eval suite and its cases (each case BELONGS_TO the suite).
// params: $tenant: string, $id: string, $name: string, $description: string, $cases: list<map>, $now: int
// returns: id
CREATE (s:Node:EvalSuite {tenant: $tenant, id: $id, kind: 'eval_suite', created_at: $now,
                          name: $name, description: $description})
WITH s
UNWIND $cases AS c
CREATE (x:Node:EvalCase {tenant: $tenant, id: c.node_id, kind: 'eval_case', created_at: $now,
                         case_id: c.case_id, suite_id: $id, input: c.input, expected: c.expected})
CREATE (x)-[:BELONGS_TO]->(s)
WITH DISTINCT s
RETURN s.id AS id
