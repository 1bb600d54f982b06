// Index: every list of one tenant's runs (pages, counts, roll-ups) starts here, so it reads
// that tenant's runs, not every tenant's. The queries name :Run alone: ArcadeDB plans a
// pattern with two labels without its optimizer (a scan of the label set; README).
// params: -
// returns: -
CREATE INDEX run_tenant IF NOT EXISTS FOR (n:Run) ON (n.tenant)
