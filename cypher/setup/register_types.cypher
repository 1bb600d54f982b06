// Creates and deletes one node of every label set and one relationship of every type provgraph
// writes. ArcadeDB makes a type per label set and per relationship type on first use, and
// concurrent first uses can fail with SchemaException (sent as SemanticError, not retried);
// doing it once at start-up, before clients write, removes that race. On Neo4j it only registers
// the tokens. Tenant '' is never a client's (tenants are non-empty); nothing stays behind.
// params: -
// returns: label_sets, relationship_types
CREATE (run:Node:Run {tenant: '', id: 'Run'}),
       (decision:Node:Decision {tenant: '', id: 'Decision'}),
       (toolCall:Node:ToolCall {tenant: '', id: 'ToolCall'}),
       (toolResult:Node:ToolResult {tenant: '', id: 'ToolResult'}),
       (memoryFact:Node:MemoryFact {tenant: '', id: 'MemoryFact'}),
       (observation:Node:Observation {tenant: '', id: 'Observation'}),
       (input:Node:Input {tenant: '', id: 'Input'}),
       (output:Node:Output {tenant: '', id: 'Output'}),
       (task:Node:Task {tenant: '', id: 'Task'}),
       (agent:Node:Agent {tenant: '', id: 'Agent'}),
       (activity:Node:Activity {tenant: '', id: 'Activity'}),
       (comment:Node:Comment {tenant: '', id: 'Comment'}),
       (tenantLock:Node:TenantLock {tenant: '', id: 'TenantLock'}),
       (apiKey:ApiKey {tenant: '', id: ''})
CREATE (run)-[:WAS_INFLUENCED_BY]->(decision),
       (run)-[:WAS_TRIGGERED_BY]->(decision),
       (run)-[:WAS_PRODUCED_BY]->(decision),
       (run)-[:CONSUMED]->(decision),
       (run)-[:BLOCKED_BY]->(decision),
       (run)-[:WAS_DERIVED_FROM]->(decision),
       (run)-[:SUPERSEDES]->(decision),
       (run)-[:WAS_DISCOVERED_FROM]->(decision),
       (run)-[:WAS_GENERATED_BY]->(decision),
       (run)-[:WAS_ATTRIBUTED_TO]->(decision),
       (run)-[:WAS_ASSOCIATED_WITH]->(decision),
       (run)-[:WAS_STARTED_BY]->(decision),
       (run)-[:ACTED_ON_BEHALF_OF]->(decision),
       (run)-[:WAS_INFORMED_BY]->(decision),
       (run)-[:WAS_PART_OF]->(decision),
       (run)-[:COMMENTS_ON]->(decision)
DETACH DELETE run, decision, toolCall, toolResult, memoryFact, observation, input, output,
       task, agent, activity, comment, tenantLock, apiKey
RETURN 14 AS label_sets, 16 AS relationship_types
