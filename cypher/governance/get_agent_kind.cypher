// An agent's kind (human, ml, software); no row when it does not exist.
// params: $tenant: string, $id: string
// returns: id, agent_kind
MATCH (a:Node:Agent {tenant: $tenant, id: $id})
RETURN a.id AS id, a.agent_kind AS agent_kind
