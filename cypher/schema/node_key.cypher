// Every provgraph node is unique by (tenant, id) across all kinds.
// params: -
// returns: -
CREATE CONSTRAINT node_key IF NOT EXISTS FOR (n:Node) REQUIRE (n.tenant, n.id) IS UNIQUE
