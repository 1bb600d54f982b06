// Index: every list of one tenant's activities (pages, counts, roll-ups) starts here, so it reads
// that tenant's activities, not every tenant's. The queries name :Activity alone: ArcadeDB plans a
// pattern with two labels without its optimizer (a scan of the label set; README).
// params: -
// returns: -
CREATE INDEX activity_tenant IF NOT EXISTS FOR (n:Activity) ON (n.tenant)
