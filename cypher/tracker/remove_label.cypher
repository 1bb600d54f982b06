// Removes a label from a task (a no-op when absent) and returns the task.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $label: string, $now: int
// returns: id, namespace, title, description, type, status, priority, phase, owner, notes, labels, close_reason, created_at, updated_at, closed_at
MATCH (t:Node {tenant: $tenant, id: $id})
USING INDEX SEEK t:Node(tenant, id)
WHERE t:Task
WITH t, coalesce(t.labels, []) AS current
SET t.labels = [l IN current WHERE l <> $label],
    t.updated_at = CASE WHEN $label IN current THEN $now ELSE t.updated_at END
RETURN t.id AS id, t.namespace AS namespace, t.title AS title, t.description AS description, t.type AS type, t.status AS status, t.priority AS priority, t.phase AS phase, t.owner AS owner, t.notes AS notes, t.labels AS labels, t.close_reason AS close_reason, t.created_at AS created_at, t.updated_at AS updated_at, t.closed_at AS closed_at
