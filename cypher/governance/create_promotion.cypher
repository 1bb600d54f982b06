// Records a promotion (or rollback) of a version to an environment by an actor; no row when the environment, version or actor is missing.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $env_id: string, $version_id: string, $action: string, $actor_id: string, $reason: string, $gate_passed: boolean, $failed_criteria: list<string>, $eval_run_id: string, $previous_version_id: string, $now: int
// returns: id
MATCH (e:Node {tenant: $tenant, id: $env_id})
USING INDEX SEEK e:Node(tenant, id)
WHERE e:Environment
MATCH (v:Node {tenant: $tenant, id: $version_id})
USING INDEX SEEK v:Node(tenant, id)
MATCH (ag:Node {tenant: $tenant, id: $actor_id})
USING INDEX SEEK ag:Node(tenant, id)
WHERE ag:Agent
CREATE (p:Node:Promotion {tenant: $tenant, id: $id, kind: 'promotion', created_at: $now,
  action: $action, actor_id: $actor_id, reason: $reason, gate_passed: $gate_passed,
  failed_criteria: $failed_criteria, eval_run_id: $eval_run_id,
  previous_version_id: $previous_version_id})
CREATE (p)-[:DEPLOYED_TO]->(e)
CREATE (p)-[:USED]->(v)
CREATE (p)-[:WAS_ASSOCIATED_WITH]->(ag)
RETURN p.id AS id
