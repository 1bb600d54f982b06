// The ids of a session's runs.
// params: $tenant: string, $session_id: string
// returns: id
MATCH (r:Run {tenant: $tenant, session_id: $session_id})
RETURN r.id AS id
ORDER BY id
