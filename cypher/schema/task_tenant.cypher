// Index: every list of one tenant's tasks (pages, counts, roll-ups) starts here, so it reads
// that tenant's tasks, not every tenant's. The queries name :Task alone: ArcadeDB plans a
// pattern with two labels without its optimizer (a scan of the label set; README).
// params: -
// returns: -
CREATE INDEX task_tenant IF NOT EXISTS FOR (n:Task) ON (n.tenant)
