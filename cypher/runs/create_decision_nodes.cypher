// Records new decision nodes of a run, one row each ({id, props}).
// params: $tenant: string, $rows: list<map>
// returns: created
UNWIND $rows AS row
CREATE (n:Node:Decision {tenant: $tenant, id: row.id})
SET n += row.props
RETURN count(n) AS created
