// Readiness probe: the engine answers a real query.
// params: -
// returns: ok
RETURN 1 AS ok
