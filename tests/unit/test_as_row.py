"""``as_row``: a record as ``record.data()`` makes it, built directly for plain values."""

from __future__ import annotations

from neo4j import Record
from neo4j.graph import Graph, Node

from provgraph.core.store.executor import as_row


def record_of(values: dict[str, object]) -> Record:
    return Record(values)  # type: ignore[no-untyped-call]  # the driver leaves it untyped


def test_plain_values_and_a_levels_maps_are_the_records_data() -> None:
    record = record_of(
        {
            "from_id": "a",
            "reached": [{"type": "T", "id": "b", "step": 1, "text": None}],
            "n": 2.5,
            "tags": ["x", "y"],
        }
    )
    row = as_row(record)
    assert row == record.data()
    assert row["reached"] is record["reached"]  # taken as it is, not walked and copied


def test_a_graph_entity_anywhere_goes_through_data() -> None:
    node = Node(Graph(), "4:x:1", 1, {"Node"}, {"id": "a"})
    record = record_of({"nodes": [{"n": node}]})
    assert as_row(record) == {"nodes": [{"n": {"id": "a"}}]} == record.data()
