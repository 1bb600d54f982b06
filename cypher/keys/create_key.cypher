// Store a new API key (its secret's hash only) for a tenant.
// params: $tenant: string, $id: string, $key_hash: string, $read_only: bool, $name: string, $now: int
// returns: id, tenant, name, read_only, created_at, revoked_at
CREATE (k:ApiKey {
  tenant: $tenant, id: $id, kind: 'api_key', key_hash: $key_hash,
  read_only: $read_only, name: $name, created_at: $now
})
RETURN k.id AS id, k.tenant AS tenant, k.name AS name, k.read_only AS read_only,
       k.created_at AS created_at, k.revoked_at AS revoked_at
