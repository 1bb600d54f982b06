// Records a human's override of a failed gate, authorising one promotion.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $id: string, $promotion_id: string, $agent_id: string, $reason: string, $failed_criteria: list<string>, $now: int
// returns: id
MATCH (p:Node {tenant: $tenant, id: $promotion_id})
USING INDEX SEEK p:Node(tenant, id)
WHERE p:Promotion
MATCH (ag:Node {tenant: $tenant, id: $agent_id})
USING INDEX SEEK ag:Node(tenant, id)
WHERE ag:Agent
CREATE (o:Node:GateOverride {tenant: $tenant, id: $id, kind: 'gate_override', created_at: $now,
  agent_id: $agent_id, reason: $reason, failed_criteria: $failed_criteria})
CREATE (o)-[:WAS_ASSOCIATED_WITH]->(ag)
CREATE (p)-[:WAS_AUTHORIZED_BY]->(o)
RETURN o.id AS id
