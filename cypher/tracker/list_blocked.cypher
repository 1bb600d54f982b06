// Blocked tasks: not closed, at least one open blocker; keyset page by priority, then creation.
// params: $tenant: string, $namespace: string, $after_priority: int, $after_created: int, $after_id: string, $limit: int
// returns: id, namespace, title, description, type, status, priority, phase, owner, notes, labels, close_reason, created_at, updated_at, closed_at
MATCH (t:Node:Task {tenant: $tenant})
WHERE t.status <> 'closed' AND ($namespace IS NULL OR t.namespace = $namespace)
OPTIONAL MATCH (t)-[:BLOCKED_BY]->(b:Node:Task {tenant: $tenant})
WHERE b.status <> 'closed'
WITH t, count(b) AS open_blockers
WHERE open_blockers > 0
  AND ($after_priority IS NULL OR t.priority > $after_priority
       OR (t.priority = $after_priority AND (t.created_at > $after_created
           OR (t.created_at = $after_created AND t.id > $after_id))))
RETURN t.id AS id, t.namespace AS namespace, t.title AS title, t.description AS description, t.type AS type, t.status AS status, t.priority AS priority, t.phase AS phase, t.owner AS owner, t.notes AS notes, t.labels AS labels, t.close_reason AS close_reason, t.created_at AS created_at, t.updated_at AS updated_at, t.closed_at AS closed_at
ORDER BY priority, created_at, id
LIMIT $limit
