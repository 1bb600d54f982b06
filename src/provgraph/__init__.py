"""provgraph: a GraphQL provenance-graph server for AI agents and multi-agent work."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("provgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
