// One keyset page of tasks in creation order, each filter ignored when null, with the count of
// every matching task (whatever the cursor) counted in the same query.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $status: string, $priority: int, $type: string, $phase: string, $label: string, $namespace: string, $after_created: int, $after_id: string, $limit: int
// returns: total, page
CALL () {
  MATCH (t:Task {tenant: $tenant})
  USING INDEX SEEK t:Task(tenant)
  WHERE ($status IS NULL OR t.status = $status)
    AND ($priority IS NULL OR t.priority = $priority)
    AND ($type IS NULL OR t.type = $type)
    AND ($phase IS NULL OR t.phase = $phase)
    AND ($label IS NULL OR $label IN t.labels)
    AND ($namespace IS NULL OR t.namespace = $namespace)
  RETURN count(t) AS total
}
CALL () {
  MATCH (t:Task {tenant: $tenant})
  USING INDEX SEEK t:Task(tenant)
  WHERE ($status IS NULL OR t.status = $status)
    AND ($priority IS NULL OR t.priority = $priority)
    AND ($type IS NULL OR t.type = $type)
    AND ($phase IS NULL OR t.phase = $phase)
    AND ($label IS NULL OR $label IN t.labels)
    AND ($namespace IS NULL OR t.namespace = $namespace)
    AND ($after_created IS NULL OR t.created_at > $after_created
         OR (t.created_at = $after_created AND t.id > $after_id))
  WITH t ORDER BY t.created_at, t.id LIMIT $limit
  RETURN collect({id: t.id, namespace: t.namespace, title: t.title, description: t.description, type: t.type, status: t.status, priority: t.priority, phase: t.phase, owner: t.owner, notes: t.notes, labels: t.labels, close_reason: t.close_reason, created_at: t.created_at, updated_at: t.updated_at, closed_at: t.closed_at}) AS page
}
RETURN total, page
