// Every published version number of one prompt (the newest is found by semver in Python).
// params: $tenant: string, $prompt: string
// returns: id, version
MATCH (v:PromptVersion {tenant: $tenant, name: $prompt})
RETURN v.id AS id, v.version AS version
