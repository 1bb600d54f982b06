"""Reading catalog query text in tests."""

from __future__ import annotations

import re

# A node pattern's label set: "(t:Node:Task {" -> "Node:Task".
_NODE_LABELS = re.compile(r"\(\s*\w*\s*((?::\s*\w+)+)\s*[{)]")
# A CREATE or MERGE clause: from the keyword up to the next clause keyword.
_WRITE_CLAUSE = re.compile(
    r"\b(?:CREATE|MERGE)\b(.*?)(?=\b(?:MATCH|OPTIONAL|WITH|RETURN|SET|ON|UNWIND|DELETE|DETACH"
    r"|CALL|WHERE|FOREACH|REMOVE|CREATE|MERGE)\b|\Z)",
    re.DOTALL,
)


def written_label_sets(text: str) -> set[frozenset[str]]:
    """The label sets of the nodes a query creates or merges."""
    return {
        frozenset(label.strip() for label in match.split(":") if label.strip())
        for clause in _WRITE_CLAUSE.findall(text)
        for match in _NODE_LABELS.findall(clause)
    }


_REL_TYPE = re.compile(r"\[\s*\w*\s*:\s*(\w+)")


def written_rel_types(text: str) -> set[str]:
    """The relationship types a query creates or merges."""
    return {t for clause in _WRITE_CLAUSE.findall(text) for t in _REL_TYPE.findall(clause)}
