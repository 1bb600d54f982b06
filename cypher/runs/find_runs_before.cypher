// Runs of the tenant that started (or were recorded) before a cutoff (epoch ms).
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $cutoff: int
// returns: id
MATCH (r:Run {tenant: $tenant})
USING INDEX SEEK r:Run(tenant)
WHERE coalesce(r.started_at, r.created_at) < $cutoff
RETURN r.id AS id
ORDER BY id
