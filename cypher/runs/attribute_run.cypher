// Links a run to its agent when that agent exists in the tenant.
// params: $tenant: string, $id: string, $agent_id: string
// returns: linked
MATCH (r:Node:Run {tenant: $tenant, id: $id})
MATCH (a:Node:Agent {tenant: $tenant, id: $agent_id})
MERGE (r)-[:WAS_ATTRIBUTED_TO]->(a)
RETURN count(a) AS linked
