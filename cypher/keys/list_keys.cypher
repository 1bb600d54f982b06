// All keys, or one tenant's keys (tenant '' = all), oldest first; never the hashes.
// params: $tenant: string
// returns: id, tenant, name, read_only, created_at, revoked_at
MATCH (k:ApiKey)
WHERE $tenant = '' OR k.tenant = $tenant
RETURN k.id AS id, k.tenant AS tenant, k.name AS name, k.read_only AS read_only,
       k.created_at AS created_at, k.revoked_at AS revoked_at
ORDER BY k.created_at, k.id
