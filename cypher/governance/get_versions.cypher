// Agent or prompt versions by id, as references (kind, name, version).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, kind, name, version
UNWIND $ids AS wanted
MATCH (v:Node {tenant: $tenant, id: wanted})
USING INDEX SEEK v:Node(tenant, id)
WHERE v.kind IN ['agent_version', 'prompt_version']
RETURN v.id AS id, v.kind AS kind, v.name AS name, v.version AS version
