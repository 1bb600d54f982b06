"""Runs as W3C PROV documents (through the ``prov`` package) and back: pure, no engine.

The README's "PROV mapping" table is this module in prose. Elements are named in the namespace
``id:`` (``urn:provgraph:id:``) by their provgraph id, percent-encoded (``run-42:q`` →
``id:run-42%3Aq``); relations carrying an edge are named in ``edge:`` by
``<source>|<kind>|<target>``, so one graph always gives one document, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Any
from urllib.parse import quote, unquote

from prov.constants import PROV
from prov.model import (
    ProvActivity,
    ProvAgent,
    ProvDocument,
    ProvElement,
    ProvRelation,
)

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.vocabulary import EdgeKind
from provgraph.export.records import (
    ExportAgent,
    ExportEdge,
    ExportNode,
    ExportRun,
    Graph,
    OtherNode,
)

PG_URI = "https://provgraph.dev/ns#"
ID_URI = "urn:provgraph:id:"
EDGE_URI = "urn:provgraph:edge:"

# Run node kinds that are PROV activities; every other run node kind is an entity.
ACTIVITY_KINDS = frozenset({"tool_call"})
# Kinds of non-run nodes a traversal may reach, as PROV element classes.
OTHER_ACTIVITY_KINDS = frozenset({"activity", "run"})
OTHER_AGENT_KINDS = frozenset({"agent"})

# Node fields written as pg: attributes (attribute name, record field).
_NODE_FIELDS = (
    ("text", "text"),
    ("json", "json"),
    ("occurredAt", "occurred_at"),
    ("tokens", "tokens"),
    ("cost", "cost"),
    ("latencyMs", "latency_ms"),
    ("toolName", "tool_name"),
    ("arguments", "arguments"),
    ("toolStatus", "tool_status"),
    ("error", "error"),
    ("contentHash", "content_hash"),
    ("hash", "hash"),
)
_RUN_FIELDS = (
    ("status", "status"),
    ("agentId", "agent_id"),
    ("sessionId", "session_id"),
    ("metadata", "metadata"),
    ("rootDigest", "root_digest"),
    ("startedAt", "started_at"),
    ("endedAt", "ended_at"),
)
_AGENT_FIELDS = (
    ("agentKind", "agent_kind"),
    ("name", "name"),
    ("role", "role"),
    ("provider", "provider"),
    ("model", "model"),
)
_INT_FIELDS = frozenset({"occurredAt", "tokens", "latencyMs", "startedAt", "endedAt", "step"})


class ProvFormat(StrEnum):
    PROV_JSON = "prov_json"
    PROV_N = "prov_n"
    PROV_O = "prov_o"  # Turtle

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    ProvFormat.PROV_JSON: "application/json",
    ProvFormat.PROV_N: "text/provenance-notation",
    ProvFormat.PROV_O: "text/turtle",
}


def _local(value: str) -> str:
    return quote(value, safe="")


def _label(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def _time(ms: int | None) -> dt.datetime | None:
    if ms is None:
        return None
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


class _Writer:
    def __init__(self) -> None:
        self.doc = ProvDocument()
        self.pg = self.doc.add_namespace("pg", PG_URI)
        self.ids = self.doc.add_namespace("id", ID_URI)
        self.rel = self.doc.add_namespace("edge", EDGE_URI)
        self.kinds: dict[str, str] = {}  # element id -> entity | activity | agent

    def q(self, element_id: str) -> Any:
        return self.ids[_local(element_id)]

    def attrs(self, pairs: Iterable[tuple[str, Any]]) -> list[tuple[Any, Any]]:
        return [(self.pg[name], value) for name, value in pairs if value is not None]

    def run(self, run: ExportRun) -> None:
        attributes = [(PROV["type"], self.pg["Run"])]
        attributes += self.attrs((name, getattr(run, f)) for name, f in _RUN_FIELDS)
        self.doc.activity(self.q(run.id), _time(run.started_at), _time(run.ended_at), attributes)
        self.kinds[run.id] = "activity"

    def node(self, node: ExportNode) -> None:
        attributes = [
            (PROV["type"], self.pg[_label(node.kind)]),
            (self.pg["kind"], node.kind),
            (self.pg["run"], self.q(node.run_id)),
            (self.pg["step"], node.step),
        ]
        attributes += self.attrs((name, getattr(node, f)) for name, f in _NODE_FIELDS)
        if node.kind in ACTIVITY_KINDS:
            end = None
            if node.occurred_at is not None and node.latency_ms is not None:
                end = _time(node.occurred_at + node.latency_ms)
            self.doc.activity(self.q(node.id), _time(node.occurred_at), end, attributes)
            self.kinds[node.id] = "activity"
        else:
            self.doc.entity(self.q(node.id), attributes)
            self.kinds[node.id] = "entity"

    def agent(self, agent: ExportAgent) -> None:
        prov_type = PROV["Person"] if agent.agent_kind == "human" else PROV["SoftwareAgent"]
        attributes = [(PROV["type"], prov_type)]
        attributes += self.attrs((name, getattr(agent, f)) for name, f in _AGENT_FIELDS)
        self.doc.agent(self.q(agent.id), attributes)
        self.kinds[agent.id] = "agent"

    def other(self, other: OtherNode) -> None:
        attributes = [(PROV["type"], self.pg[_label(other.kind)]), (self.pg["kind"], other.kind)]
        if other.kind in OTHER_AGENT_KINDS:
            self.doc.agent(self.q(other.id), attributes)
            self.kinds[other.id] = "agent"
        elif other.kind in OTHER_ACTIVITY_KINDS:
            self.doc.activity(self.q(other.id), other_attributes=attributes)
            self.kinds[other.id] = "activity"
        else:
            self.doc.entity(self.q(other.id), attributes)
            self.kinds[other.id] = "entity"

    def edge(self, edge: ExportEdge) -> bool:
        """The edge as the PROV relation its ends' classes call for; False when an end is not
        in the document."""
        if edge.kind.spec.source_is_effect:
            effect, cause = edge.source, edge.target
        else:
            effect, cause = edge.target, edge.source
        effect_class, cause_class = self.kinds.get(effect), self.kinds.get(cause)
        if effect_class is None or cause_class is None:
            return False
        name = self.rel[_local(f"{edge.source}|{edge.kind.value}|{edge.target}")]
        attributes: list[tuple[Any, Any]] = [(self.pg["edgeKind"], edge.kind.value)]
        if edge.kind is EdgeKind.SUPERSEDES:
            attributes.append((PROV["type"], PROV["Revision"]))
        e, c = self.q(effect), self.q(cause)
        make = _RELATIONS[(effect_class, cause_class)]
        make(self.doc, e, c, name, attributes)
        return True

    def membership(self, node: ExportNode, generated: set[str]) -> None:
        """An entity that no exported edge generates is generated by its run."""
        if self.kinds.get(node.id) != "entity" or node.id in generated:
            return
        if node.run_id not in self.kinds:
            return
        name = self.rel[_local(f"{node.id}|in_run|{node.run_id}")]
        self.doc.wasGeneratedBy(self.q(node.id), self.q(node.run_id), None, identifier=name)

    def sub_run(self, run: ExportRun, runs: dict[str, ExportRun]) -> None:
        """A sub-run (metadata ``parent_run_id``) was informed by its parent run; its agent
        acted on behalf of the parent's."""
        parent_id = _parent_run(run.metadata)
        parent = runs.get(parent_id) if parent_id else None
        if parent is None:
            return
        name = self.rel[_local(f"{run.id}|sub_run_of|{parent.id}")]
        self.doc.wasInformedBy(self.q(run.id), self.q(parent.id), identifier=name)
        if run.agent_id and parent.agent_id and run.agent_id != parent.agent_id:
            name = self.rel[_local(f"{run.agent_id}|on_behalf_of|{parent.agent_id}|{run.id}")]
            self.doc.actedOnBehalfOf(
                self.q(run.agent_id), self.q(parent.agent_id), self.q(run.id), identifier=name
            )

    def associate(self, run: ExportRun) -> None:
        if run.agent_id and self.kinds.get(run.agent_id) == "agent":
            name = self.rel[_local(f"{run.id}|run_agent|{run.agent_id}")]
            self.doc.wasAssociatedWith(self.q(run.id), self.q(run.agent_id), identifier=name)


def _parent_run(metadata: str | None) -> str | None:
    if not metadata:
        return None
    try:
        parent = json.loads(metadata).get("parent_run_id")
    except (ValueError, AttributeError):
        return None
    return parent if isinstance(parent, str) else None


def _derived(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.wasDerivedFrom(e, c, identifier=name, other_attributes=attrs)


def _used(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.used(e, c, identifier=name, other_attributes=attrs)


def _generated(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.wasGeneratedBy(e, c, identifier=name, other_attributes=attrs)


def _informed(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.wasInformedBy(e, c, identifier=name, other_attributes=attrs)


def _attributed(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.wasAttributedTo(e, c, identifier=name, other_attributes=attrs)


def _associated(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.wasAssociatedWith(e, c, identifier=name, other_attributes=attrs)


def _on_behalf(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.actedOnBehalfOf(e, c, identifier=name, other_attributes=attrs)


def _influenced(doc: Any, e: Any, c: Any, name: Any, attrs: Any) -> None:
    doc.wasInfluencedBy(e, c, identifier=name, other_attributes=attrs)


# (effect class, cause class) -> the PROV relation; its first argument is always the effect.
_RELATIONS = {
    ("entity", "entity"): _derived,
    ("activity", "entity"): _used,
    ("entity", "activity"): _generated,
    ("activity", "activity"): _informed,
    ("entity", "agent"): _attributed,
    ("activity", "agent"): _associated,
    ("agent", "agent"): _on_behalf,
    ("agent", "entity"): _influenced,
    ("agent", "activity"): _influenced,
}


def to_prov(graph: Graph) -> ProvDocument:
    """The graph as a PROV document, its records in a fixed order (runs, agents, other nodes,
    run nodes by (run, step, id), then relations)."""
    w = _Writer()
    runs = sorted(graph.runs, key=lambda r: r.id)
    for run in runs:
        w.run(run)
    for agent in sorted(graph.agents, key=lambda a: a.id):
        if agent.id not in w.kinds:
            w.agent(agent)
    for other in sorted(graph.others, key=lambda o: o.id):
        if other.id not in w.kinds:
            w.other(other)
    nodes = sorted(graph.nodes, key=lambda n: (n.run_id, n.step, n.id))
    for node in nodes:
        w.node(node)
    by_id = {r.id: r for r in runs}
    for run in runs:
        w.associate(run)
        w.sub_run(run, by_id)
    generated: set[str] = set()
    for edge in sorted(graph.edges, key=lambda e: (e.kind.value, e.source, e.target)):
        if w.edge(edge):
            effect = edge.source if edge.kind.spec.source_is_effect else edge.target
            cause = edge.target if edge.kind.spec.source_is_effect else edge.source
            if w.kinds[cause] == "activity":
                generated.add(effect)
    for node in nodes:
        w.membership(node, generated)
    return w.doc


def serialize(doc: ProvDocument, fmt: ProvFormat) -> str:
    if fmt is ProvFormat.PROV_N:
        return doc.get_provn()
    if fmt is ProvFormat.PROV_JSON:
        text = doc.serialize(format="json", indent=2)
    else:
        text = doc.serialize(format="rdf", rdf_format="turtle")
    assert text is not None  # no destination given: the text is returned
    return text


def parse(text: str, fmt: ProvFormat) -> ProvDocument:
    """A PROV-JSON or PROV-O (Turtle) document; PROV-N cannot be read (``prov`` only writes
    it). Malformed input is BAD_USER_INPUT."""
    if fmt is ProvFormat.PROV_N:
        raise BadUserInput("PROV-N cannot be imported: send PROV-JSON or PROV-O", field="format")
    try:
        if fmt is ProvFormat.PROV_JSON:
            return ProvDocument.deserialize(content=text, format="json")
        return ProvDocument.deserialize(content=text, format="rdf", rdf_format="turtle")
    except Exception as exc:  # prov raises many kinds (ValueError, KeyError, its own)
        raise BadUserInput(f"not a {fmt.name} document: {exc}", field="document") from None


# --- back: a document this module wrote, as a graph ------------------------------------------


def _value(value: Any) -> Any:
    """A literal attribute value as Python (prov gives ``Literal`` for typed strings)."""
    if hasattr(value, "value") and hasattr(value, "datatype"):
        raw = value.value
        datatype = str(value.datatype)
        if datatype.endswith(("#double", "#float", "#decimal")):
            return float(raw)
        if datatype.endswith(("#int", "#integer", "#long")):
            return int(raw)
        return raw
    return value


def _pg(record: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in record.attributes:
        uri = getattr(name, "uri", "")
        if isinstance(uri, str) and uri.startswith(PG_URI):
            key = uri[len(PG_URI) :]
            value = _value(value)
            if hasattr(value, "uri"):  # a qualified name: an element reference
                uri_value = value.uri
                value = (
                    unquote(uri_value[len(ID_URI) :])
                    if uri_value.startswith(ID_URI)
                    else (uri_value)
                )
            elif key in _INT_FIELDS and value is not None:
                value = int(value)
            elif key == "cost" and value is not None:
                value = float(value)
            out[key] = value
    return out


def _element_id(record: Any) -> str:
    uri: str = record.identifier.uri
    if not uri.startswith(ID_URI):
        raise BadUserInput(f"element {uri} is not in the provgraph id namespace", field="document")
    return unquote(uri[len(ID_URI) :])


def from_prov(doc: ProvDocument) -> Graph:
    """The runs, nodes, edges and agents of a document written by ``to_prov``: elements
    without ``pg:`` attributes and relations without ``pg:edgeKind`` carry nothing back."""
    graph = Graph()
    for record in doc.get_records():
        if isinstance(record, ProvElement):
            attrs = _pg(record)
            if not attrs and not isinstance(record, ProvAgent):
                continue
            element_id = _element_id(record)
            types = {getattr(t, "uri", str(t)) for t in record.get_asserted_types()}
            if isinstance(record, ProvActivity) and PG_URI + "Run" in types:
                graph.runs.append(
                    ExportRun(element_id, **{f: attrs.get(n) for n, f in _RUN_FIELDS})
                )
            elif "run" in attrs and "kind" in attrs:
                graph.nodes.append(
                    ExportNode(
                        element_id,
                        attrs["kind"],
                        attrs["run"],
                        int(attrs.get("step", 0)),
                        **{f: attrs.get(n) for n, f in _NODE_FIELDS},
                    )
                )
            elif isinstance(record, ProvAgent) and "kind" not in attrs:
                graph.agents.append(
                    ExportAgent(element_id, **{f: attrs.get(n) for n, f in _AGENT_FIELDS})
                )
            elif "kind" in attrs:
                graph.others.append(OtherNode(element_id, attrs["kind"]))
        elif isinstance(record, ProvRelation):
            attrs = _pg(record)
            kind_name = attrs.get("edgeKind")
            if kind_name is None:
                continue
            try:
                kind = EdgeKind(kind_name)
            except ValueError:
                raise BadUserInput(f"unknown edge kind {kind_name!r}", field="document") from None
            formal = [value for _, value in record.formal_attributes]
            effect, cause = (unquote(v.uri[len(ID_URI) :]) for v in formal[:2])
            if kind.spec.source_is_effect:
                graph.edges.append(ExportEdge(kind, effect, cause))
            else:
                graph.edges.append(ExportEdge(kind, cause, effect))
    return graph
