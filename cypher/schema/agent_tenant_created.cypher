// Lists of agents per tenant in creation order (keyset pages) use this index.
// params: -
// returns: -
CREATE INDEX agent_tenant_created IF NOT EXISTS FOR (n:Agent) ON (n.tenant, n.created_at)
