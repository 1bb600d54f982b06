"""Lint every cypher/ file with Neo4j's own Cypher 5 analyser (npm @neo4j-cypher/language-support).

Each file's parameters come from its header (``// params: $id: string, $depth: int``) and are
given sample values of that type; labels and relationship types come from the domain allow-list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from provgraph.core.domain import vocabulary
from provgraph.core.store.catalog import default_catalog, sample_value

HERE = Path(__file__).resolve().parent / "cypher-lint"


def main() -> int:
    vocabulary.check_disjoint()
    catalog = default_catalog()
    payload = {
        "labels": list(vocabulary.LABELS),
        "relationshipTypes": list(vocabulary.RELATIONSHIP_TYPES),
        "queries": [
            {
                "name": name,
                "text": catalog[name].text,
                "parameters": {p: sample_value(t) for p, t in catalog[name].params.items()},
            }
            for name in catalog.names()
        ],
    }
    done = subprocess.run(["node", str(HERE / "lint.mjs")], input=json.dumps(payload), text=True)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
