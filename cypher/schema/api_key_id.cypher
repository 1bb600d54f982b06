// API keys are found by their key id alone (authentication happens before a tenant is known).
// params: -
// returns: -
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE
