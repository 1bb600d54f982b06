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


@strawberry.type(description="A run graph as one OTLP/JSON trace request, and what it holds.")
class OtlpExport:
    document: str = strawberry.field(
        description="An ExportTraceServiceRequest in OTLP/JSON (hex ids), as text: POST it to "
        "any OTLP/HTTP receiver's /v1/traces with content type application/json."
    )
    run_ids: list[str] = strawberry.field(description="The runs it holds (sorted).")
    element_count: int = strawberry.field(description="Runs + run nodes + edges it holds.")
    span_count: int = strawberry.field(
        description="Spans written (tool results fold into their tool call's span; runs not "
        "recorded from OTLP add an invoke_agent span)."
    )

    @classmethod
    def of(cls, doc: ExportedDocument) -> OtlpExport:
        return cls(
            document=doc.document,
            run_ids=doc.run_ids,
            element_count=doc.element_count,
            span_count=doc.span_count,
        )
