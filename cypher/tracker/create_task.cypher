// Creates one open task (no labels yet) and returns it.
// params: $tenant: string, $id: string, $namespace: string, $title: string, $description: string, $type: string, $priority: int, $phase: string, $owner: string, $notes: string, $now: int
// returns: id, namespace, title, description, type, status, priority, phase, owner, notes, labels, close_reason, created_at, updated_at, closed_at
CREATE (t:Node:Task {
  tenant: $tenant, id: $id, kind: 'task', created_at: $now, updated_at: $now,
  namespace: $namespace, title: $title, description: $description, type: $type,
  status: 'open', priority: $priority, phase: $phase, owner: $owner, notes: $notes,
  labels: []
})
RETURN t.id AS id, t.namespace AS namespace, t.title AS title, t.description AS description, t.type AS type, t.status AS status, t.priority AS priority, t.phase AS phase, t.owner AS owner, t.notes AS notes, t.labels AS labels, t.close_reason AS close_reason, t.created_at AS created_at, t.updated_at AS updated_at, t.closed_at AS closed_at
