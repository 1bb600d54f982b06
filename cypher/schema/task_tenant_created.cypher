// Lists of tasks per tenant in creation order (keyset pages) use this index.
// params: -
// returns: -
CREATE INDEX task_tenant_created IF NOT EXISTS FOR (n:Task) ON (n.tenant, n.created_at)
