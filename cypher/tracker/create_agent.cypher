// Creates one agent (human, ml or software; fields of other kinds are null) and returns it.
// params: $tenant: string, $id: string, $agent_kind: string, $name: string, $contact: string, $role: string, $provider: string, $model: string, $version: string, $source: string, $now: int
// returns: id, agent_kind, created_at, name, contact, role, provider, model, version, source
CREATE (a:Node:Agent {
  tenant: $tenant, id: $id, kind: 'agent', created_at: $now, agent_kind: $agent_kind,
  name: $name, contact: $contact, role: $role, provider: $provider, model: $model,
  version: $version, source: $source
})
RETURN a.id AS id, a.agent_kind AS agent_kind, a.created_at AS created_at, a.name AS name, a.contact AS contact, a.role AS role, a.provider AS provider, a.model AS model, a.version AS version, a.source AS source
