// Index: the nodes of one run (every run node carries run_id).
// params: -
// returns: -
CREATE INDEX node_run IF NOT EXISTS FOR (n:Node) ON (n.tenant, n.run_id)
