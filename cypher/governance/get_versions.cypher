// Agent or prompt versions by id, as references (kind, name, version).
// params: $tenant: string, $ids: list<string>
// returns: id, kind, name, version
UNWIND $ids AS wanted
MATCH (v:Node {tenant: $tenant, id: wanted})
WHERE v.kind IN ['agent_version', 'prompt_version']
RETURN v.id AS id, v.kind AS kind, v.name AS name, v.version AS version
