// One keyset page of tasks in creation order, each filter ignored when null.
// params: $tenant: string, $status: string, $priority: int, $type: string, $phase: string, $label: string, $namespace: string, $after_created: int, $after_id: string, $limit: int
// returns: id, namespace, title, description, type, status, priority, phase, owner, notes, labels, close_reason, created_at, updated_at, closed_at
MATCH (t:Node:Task {tenant: $tenant})
WHERE ($status IS NULL OR t.status = $status)
  AND ($priority IS NULL OR t.priority = $priority)
  AND ($type IS NULL OR t.type = $type)
  AND ($phase IS NULL OR t.phase = $phase)
  AND ($label IS NULL OR $label IN t.labels)
  AND ($namespace IS NULL OR t.namespace = $namespace)
  AND ($after_created IS NULL OR t.created_at > $after_created
       OR (t.created_at = $after_created AND t.id > $after_id))
RETURN t.id AS id, t.namespace AS namespace, t.title AS title, t.description AS description, t.type AS type, t.status AS status, t.priority AS priority, t.phase AS phase, t.owner AS owner, t.notes AS notes, t.labels AS labels, t.close_reason AS close_reason, t.created_at AS created_at, t.updated_at AS updated_at, t.closed_at AS closed_at
ORDER BY created_at, id
LIMIT $limit
