// Promotions by id.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $ids: list<string>
// returns: id, environment, version_id, action, actor_id, reason, gate_passed, failed_criteria, eval_run_id, previous_version_id, override_agent_id, override_reason, created_at
UNWIND $ids AS wanted
MATCH (p:Node {tenant: $tenant, id: wanted})-[:DEPLOYED_TO]->(e:Environment)
USING INDEX SEEK p:Node(tenant, id)
WHERE p:Promotion
MATCH (p)-[:USED]->(v:Node)
OPTIONAL MATCH (p)-[:WAS_AUTHORIZED_BY]->(o:GateOverride)
RETURN p.id AS id, e.name AS environment, v.id AS version_id, p.action AS action, p.actor_id AS actor_id, p.reason AS reason, p.gate_passed AS gate_passed, p.failed_criteria AS failed_criteria, p.eval_run_id AS eval_run_id, p.previous_version_id AS previous_version_id, o.agent_id AS override_agent_id, o.reason AS override_reason, p.created_at AS created_at
