// The newest promotion of an environment that passed its gate with another version than $current_id.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $env_id: string, $current_id: string
// returns: id, version_id
MATCH (p:Promotion {tenant: $tenant})-[:DEPLOYED_TO]->(e:Node {tenant: $tenant, id: $env_id})
USING INDEX SEEK e:Node(tenant, id)
WHERE e:Environment
MATCH (p)-[:USED]->(v:Node)
WHERE p.gate_passed = true AND v.id <> $current_id
RETURN p.id AS id, v.id AS version_id
ORDER BY p.created_at DESC, p.id DESC
LIMIT 1
