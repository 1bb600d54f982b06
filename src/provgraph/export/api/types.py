"""GraphQL types of exports."""

from __future__ import annotations

from enum import Enum

import strawberry

from provgraph.export.prov_rules import ProvFormat
from provgraph.export.service import ExportedDocument

strawberry.enum(
    ProvFormat,
    name="ProvFormat",
    description="W3C PROV serializations: PROV-JSON, PROV-N, PROV-O (Turtle).",
)


@strawberry.enum(description="Which way a traversal export walks from its node.")
class ExportDirection(Enum):
    ANCESTORS = "ancestors"
    DESCENDANTS = "descendants"


@strawberry.type(description="An exported document and what it holds.")
class ProvExport:
    format: ProvFormat
    document: str = strawberry.field(description="The whole document, as text.")
    run_ids: list[str] = strawberry.field(description="The runs it holds (sorted).")
    element_count: int = strawberry.field(description="Runs + run nodes + edges it holds.")

    @classmethod
    def of(cls, doc: ExportedDocument) -> ProvExport:
        return cls(
            format=ProvFormat(doc.format),
            document=doc.document,
            run_ids=doc.run_ids,
            element_count=doc.element_count,
        )
