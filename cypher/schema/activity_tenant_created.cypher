// Lists of activitys per tenant in creation order (keyset pages) use this index.
// params: -
// returns: -
CREATE INDEX activity_tenant_created IF NOT EXISTS FOR (n:Activity) ON (n.tenant, n.created_at)
