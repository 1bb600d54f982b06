// Authentication: the key with this key id, whatever its tenant (the key tells the tenant).
// params: $id: string
// returns: id, tenant, key_hash, read_only, revoked_at
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.tenant AS tenant, k.key_hash AS key_hash, k.read_only AS read_only,
       k.revoked_at AS revoked_at
