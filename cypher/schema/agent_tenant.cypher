// Index: every list of one tenant's agents (pages, counts, roll-ups) starts here, so it reads
// that tenant's agents, not every tenant's. The queries name :Agent alone: ArcadeDB plans a
// pattern with two labels without its optimizer (a scan of the label set; README).
// params: -
// returns: -
CREATE INDEX agent_tenant IF NOT EXISTS FOR (n:Agent) ON (n.tenant)
