// The stored relationships of these types touching each task, with their stored ends.
// params: $tenant: string, $ids: list<string>, $rel_types: list<string>
// returns: task_id, rel_type, start_id, end_id
UNWIND $ids AS wanted
MATCH (t:Node:Task {tenant: $tenant, id: wanted})-[r]-(o:Node {tenant: $tenant})
WHERE type(r) IN $rel_types
RETURN wanted AS task_id, type(r) AS rel_type, startNode(r).id AS start_id, endNode(r).id AS end_id
