// Runs of the tenant that started (or were recorded) before a cutoff (epoch ms).
// params: $tenant: string, $cutoff: int
// returns: id
MATCH (r:Run {tenant: $tenant})
WHERE coalesce(r.started_at, r.created_at) < $cutoff
RETURN r.id AS id
ORDER BY id
