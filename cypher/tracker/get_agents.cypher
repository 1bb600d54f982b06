// The agents with these ids (missing ones are left out), for lookups and DataLoaders.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, agent_kind, created_at, name, contact, role, provider, model, version, source
UNWIND $ids AS wanted
MATCH (a:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK a:Node(tenant, id)
WHERE a:Agent
RETURN a.id AS id, a.agent_kind AS agent_kind, a.created_at AS created_at, a.name AS name, a.contact AS contact, a.role AS role, a.provider AS provider, a.model AS model, a.version AS version, a.source AS source
