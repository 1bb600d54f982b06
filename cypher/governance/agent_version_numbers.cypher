// Every published version number of one agent (the newest is found by semver in Python).
// params: $tenant: string, $agent: string
// returns: id, version
MATCH (v:AgentVersion {tenant: $tenant, name: $agent})
RETURN v.id AS id, v.version AS version
