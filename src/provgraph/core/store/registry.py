"""Names of the catalog queries the code uses, collected at import time.

Repositories declare each query they run once, as ``CREATE_TASK = query(<folder/file name>)``
(``tracker/create_task`` for ``cypher/tracker/create_task.cypher``); start-up checks every
declared name against the catalog, so a missing or misspelt file fails there and not at
first use.
"""

from __future__ import annotations

_DECLARED: set[str] = set()


def query(name: str) -> str:
    _DECLARED.add(name)
    return name


def declared() -> frozenset[str]:
    return frozenset(_DECLARED)
