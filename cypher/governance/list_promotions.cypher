// One keyset page of an environment's deployment history, newest first.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $env_id: string, $after_created: int, $after_id: string, $limit: int
// returns: id, environment, version_id, action, actor_id, reason, gate_passed, failed_criteria, eval_run_id, previous_version_id, override_agent_id, override_reason, created_at
MATCH (p:Promotion {tenant: $tenant})-[:DEPLOYED_TO]->(e:Node {tenant: $tenant, id: $env_id})
USING INDEX SEEK e:Node(tenant, id)
WHERE e:Environment AND ($after_created IS NULL OR p.created_at < $after_created
   OR (p.created_at = $after_created AND p.id < $after_id))
MATCH (p)-[:USED]->(v:Node)
OPTIONAL MATCH (p)-[:WAS_AUTHORIZED_BY]->(o:GateOverride)
RETURN p.id AS id, e.name AS environment, v.id AS version_id, p.action AS action, p.actor_id AS actor_id, p.reason AS reason, p.gate_passed AS gate_passed, p.failed_criteria AS failed_criteria, p.eval_run_id AS eval_run_id, p.previous_version_id AS previous_version_id, o.agent_id AS override_agent_id, o.reason AS override_reason, p.created_at AS created_at
ORDER BY created_at DESC, id DESC
LIMIT $limit
