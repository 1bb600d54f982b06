// Writes the batches of one or more runs in one statement (one round trip for a recordRun, and
// for all the runs of a recordRuns or OTLP request whose batches are independent):
// 1. per run: creates it or updates the fields given, its digest, counters and the aggregates of
//    its new nodes (tool names used, errors, tokens, cost, latency: kept on the run, so lists
//    filter and roll-ups sum without reading nodes), and links it to its agent when
//    run.agent_id is given and that agent exists in the tenant;
// 2. creates the new nodes of all the runs: per kind a list of {id, props};
// 3. creates their new edges: per type a list of {effect, cause, sealed, created_at}, stored
//    effect -> cause; their ends exist (checked, or created in step 2).
// Everything comes in one map, $batch = {runs: [{id, now, agent_id, status, started_at,
// ended_at, metadata, meta_kv, session_id, root_digest, nodes, edges, tool_names, errors,
// tokens, cost, latency}] (distinct ids), decision, tool_call, tool_result, memory_fact,
// observation, input, output: the new nodes per kind, influenced, triggered, produced,
// consumed, supersedes, derived_from: the new edges per type}: Neo4j caches a plan per query
// text *and parameter types*, and separate parameters (an empty list here, a null there) made
// it plan this statement again (~0.5 s) for most batches. Empty lists create nothing. A node id
// already used in the tenant fails the statement (or, on ArcadeDB, the commit): the service's
// optimistic first attempt relies on it.
// Returns each run as stored (a row per run), and how many nodes and edges were created in all.
// USING INDEX SEEK: Neo4j may scan the index on statistics older than a bulk load (README).
// params: $tenant: string, $batch: map
// returns: id, agent_id, status, started_at, ended_at, metadata, session_id, root_digest, node_count, edge_count, created_at, labels, tool_names, error_count, tokens_total, cost_total, latency_total, nodes_created, edges_created
UNWIND $batch.runs AS run
MERGE (r:Node:Run {tenant: $tenant, id: run.id})
ON CREATE SET r.kind = 'run', r.created_at = run.now, r.node_count = 0, r.edge_count = 0
SET r.agent_id = coalesce(run.agent_id, r.agent_id),
    r.status = coalesce(run.status, r.status),
    r.started_at = coalesce(run.started_at, r.started_at),
    r.ended_at = coalesce(run.ended_at, r.ended_at),
    r.sort_at = coalesce(run.started_at, r.started_at, r.created_at, run.now),
    r.metadata = coalesce(run.metadata, r.metadata),
    r.meta_kv = CASE WHEN run.metadata IS NULL THEN coalesce(r.meta_kv, []) ELSE run.meta_kv END,
    r.session_id = coalesce(run.session_id, r.session_id),
    r.root_digest = run.root_digest,
    r.node_count = r.node_count + run.nodes,
    r.edge_count = r.edge_count + run.edges,
    r.labels = coalesce(r.labels, []),
    r.tool_names = coalesce(r.tool_names, [])
      + [t IN run.tool_names WHERE NOT t IN coalesce(r.tool_names, [])],
    r.error_count = coalesce(r.error_count, 0) + run.errors,
    r.tokens_total = coalesce(r.tokens_total, 0) + run.tokens,
    r.cost_total = coalesce(r.cost_total, 0.0) + run.cost,
    r.latency_total = coalesce(r.latency_total, 0) + run.latency
WITH r, run
CALL (r, run) {
  UNWIND CASE WHEN run.agent_id IS NULL THEN [] ELSE [run.agent_id] END AS agent_id
  MATCH (a:Node {tenant: $tenant, id: agent_id})
  USING INDEX SEEK a:Node(tenant, id)
  WHERE a:Agent
  MERGE (r)-[:WAS_ATTRIBUTED_TO]->(a)
  RETURN count(a) AS attributed
}
WITH collect(r) AS runs
CALL () { UNWIND $batch.decision AS row CREATE (n:Node:Decision {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS decision }
CALL () { UNWIND $batch.tool_call AS row CREATE (n:Node:ToolCall {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS tool_call }
CALL () { UNWIND $batch.tool_result AS row CREATE (n:Node:ToolResult {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS tool_result }
CALL () { UNWIND $batch.memory_fact AS row CREATE (n:Node:MemoryFact {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS memory_fact }
CALL () { UNWIND $batch.observation AS row CREATE (n:Node:Observation {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS observation }
CALL () { UNWIND $batch.input AS row CREATE (n:Node:Input {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS input }
CALL () { UNWIND $batch.output AS row CREATE (n:Node:Output {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS output }
CALL () {
  UNWIND $batch.influenced AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  USING INDEX SEEK a:Node(tenant, id)
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  USING INDEX SEEK b:Node(tenant, id)
  CREATE (a)-[e:WAS_INFLUENCED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(e) AS influenced
}
CALL () {
  UNWIND $batch.triggered AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  USING INDEX SEEK a:Node(tenant, id)
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  USING INDEX SEEK b:Node(tenant, id)
  CREATE (a)-[e:WAS_TRIGGERED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(e) AS triggered
}
CALL () {
  UNWIND $batch.produced AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  USING INDEX SEEK a:Node(tenant, id)
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  USING INDEX SEEK b:Node(tenant, id)
  CREATE (a)-[e:WAS_PRODUCED_BY {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(e) AS produced
}
CALL () {
  UNWIND $batch.consumed AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  USING INDEX SEEK a:Node(tenant, id)
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  USING INDEX SEEK b:Node(tenant, id)
  CREATE (a)-[e:CONSUMED {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(e) AS consumed
}
CALL () {
  UNWIND $batch.supersedes AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  USING INDEX SEEK a:Node(tenant, id)
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  USING INDEX SEEK b:Node(tenant, id)
  CREATE (a)-[e:SUPERSEDES {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(e) AS supersedes
}
CALL () {
  UNWIND $batch.derived_from AS row
  MATCH (a:Node {tenant: $tenant, id: row.effect})
  USING INDEX SEEK a:Node(tenant, id)
  MATCH (b:Node {tenant: $tenant, id: row.cause})
  USING INDEX SEEK b:Node(tenant, id)
  CREATE (a)-[e:WAS_DERIVED_FROM {sealed: row.sealed, created_at: row.created_at}]->(b)
  RETURN count(e) AS derived_from
}
UNWIND runs AS r
RETURN r.id AS id, r.agent_id AS agent_id, r.status AS status, r.started_at AS started_at,
       r.ended_at AS ended_at, r.metadata AS metadata, r.session_id AS session_id,
       r.root_digest AS root_digest,
       r.node_count AS node_count, r.edge_count AS edge_count, r.created_at AS created_at,
       r.labels AS labels, r.tool_names AS tool_names, r.error_count AS error_count,
       r.tokens_total AS tokens_total, r.cost_total AS cost_total, r.latency_total AS latency_total,
       decision + tool_call + tool_result + memory_fact + observation + input + output AS nodes_created,
       influenced + triggered + produced + consumed + supersedes + derived_from AS edges_created
