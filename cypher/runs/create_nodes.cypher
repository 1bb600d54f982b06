// Records a batch's new run nodes, every kind in one statement: per kind a list of {id, props}
// (empty lists create nothing). One round trip instead of one per kind.
// params: $tenant: string, $decision: list<map>, $tool_call: list<map>, $tool_result: list<map>, $memory_fact: list<map>, $observation: list<map>, $input: list<map>, $output: list<map>
// returns: created
CALL () { UNWIND $decision AS row CREATE (n:Node:Decision {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS decision }
CALL () { UNWIND $tool_call AS row CREATE (n:Node:ToolCall {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS tool_call }
CALL () { UNWIND $tool_result AS row CREATE (n:Node:ToolResult {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS tool_result }
CALL () { UNWIND $memory_fact AS row CREATE (n:Node:MemoryFact {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS memory_fact }
CALL () { UNWIND $observation AS row CREATE (n:Node:Observation {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS observation }
CALL () { UNWIND $input AS row CREATE (n:Node:Input {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS input }
CALL () { UNWIND $output AS row CREATE (n:Node:Output {tenant: $tenant, id: row.id}) SET n += row.props RETURN count(n) AS output }
RETURN decision + tool_call + tool_result + memory_fact + observation + input + output AS created
