"""Errors raised while starting or reaching the graph engine."""


class EngineStartError(RuntimeError):
    """The engine could not be started or reached; the message is one line for people."""
