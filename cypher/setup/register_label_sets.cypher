// Creates and deletes one node of every label set provgraph writes. ArcadeDB makes a type per
// label set on its first use, and concurrent first uses fail with SchemaException (reported as
// SemanticError); doing it once at start-up, before clients write, removes that race. On Neo4j it
// only registers the labels. Tenant '' is never a client's (tenants are non-empty), and nothing
// stays behind.
// params: -
// returns: label_sets
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
DELETE run, decision, toolCall, toolResult, memoryFact, observation, input, output,
       task, agent, activity, comment, tenantLock, apiKey
RETURN 14 AS label_sets
