// Blocked tasks: not closed, at least one open blocker; keyset page by priority, then creation, with the
// count of all of them (whatever the cursor) counted in the same query.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $namespace: string, $after_priority: int, $after_created: int, $after_id: string, $limit: int
// returns: total, page
CALL () {
  MATCH (t:Task {tenant: $tenant})
  USING INDEX SEEK t:Task(tenant)
  WHERE t.status <> 'closed' AND ($namespace IS NULL OR t.namespace = $namespace)
  OPTIONAL MATCH (t)-[:BLOCKED_BY]->(b:Task)
  WHERE b.status <> 'closed'
  WITH t, count(b) AS open_blockers
  WHERE open_blockers > 0
  RETURN count(t) AS total
}
CALL () {
  MATCH (t:Task {tenant: $tenant})
  USING INDEX SEEK t:Task(tenant)
  WHERE t.status <> 'closed' AND ($namespace IS NULL OR t.namespace = $namespace)
  OPTIONAL MATCH (t)-[:BLOCKED_BY]->(b:Task)
  WHERE b.status <> 'closed'
  WITH t, count(b) AS open_blockers
  WHERE open_blockers > 0
    AND ($after_priority IS NULL OR t.priority > $after_priority
         OR (t.priority = $after_priority AND (t.created_at > $after_created
             OR (t.created_at = $after_created AND t.id > $after_id))))
  WITH t ORDER BY t.priority, t.created_at, t.id LIMIT $limit
  RETURN collect({id: t.id, namespace: t.namespace, title: t.title, description: t.description, type: t.type, status: t.status, priority: t.priority, phase: t.phase, owner: t.owner, notes: t.notes, labels: t.labels, close_reason: t.close_reason, created_at: t.created_at, updated_at: t.updated_at, closed_at: t.closed_at}) AS page
}
RETURN total, page
