// Index: the runs of one session. Deliberately not (tenant, session_id): see node_run_id.
// params: -
// returns: -
CREATE INDEX run_session_id IF NOT EXISTS FOR (n:Run) ON (n.session_id)
