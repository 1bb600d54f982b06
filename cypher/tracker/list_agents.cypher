// One keyset page of agents in creation order, optionally of one kind.
// params: $tenant: string, $agent_kind: string, $after_created: int, $after_id: string, $limit: int
// returns: id, agent_kind, created_at, name, contact, role, provider, model, version, source
MATCH (a:Node:Agent {tenant: $tenant})
WHERE ($agent_kind IS NULL OR a.agent_kind = $agent_kind)
  AND ($after_created IS NULL OR a.created_at > $after_created
       OR (a.created_at = $after_created AND a.id > $after_id))
RETURN a.id AS id, a.agent_kind AS agent_kind, a.created_at AS created_at, a.name AS name, a.contact AS contact, a.role AS role, a.provider AS provider, a.model AS model, a.version AS version, a.source AS source
ORDER BY created_at, id
LIMIT $limit
