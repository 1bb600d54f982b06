// Index: the nodes of one run (every run node carries run_id). Deliberately not (tenant,
// run_id): ArcadeDB's planner would seek that on its tenant prefix for (tenant, id) lookups.
// params: -
// returns: -
CREATE INDEX node_run_id IF NOT EXISTS FOR (n:Node) ON (n.run_id)
