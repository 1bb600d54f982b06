// The audit trail is read per tenant in chain order (keyset pages on seq).
// params: -
// returns: -
CREATE INDEX audit_event_tenant_seq IF NOT EXISTS FOR (n:AuditEvent) ON (n.tenant, n.seq)
