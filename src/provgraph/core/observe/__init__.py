"""Operability: Prometheus metrics, request correlation ids, JSON logs, the in-process events."""
