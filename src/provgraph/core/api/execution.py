"""graphql-core's execution with a shorter path for plain fields.

A traversal answer of 5,000 nodes completes 20,000-60,000 fields, nearly all of them values read
off an object: ``nodeId``, ``kind``, ``distance``, an edge's ``source``, the list of nodes. For
each, graphql-core builds a resolve info, Strawberry builds its own ``Info``, converts the
(absent) arguments and runs the (empty) field-extension chain, then graphql-core completes the
value through its generic ``complete_value``. ``ProvgraphExecutionContext`` (the schema's
``execution_context_class``, Strawberry's public hook for graphql-core's executor) reads plain
fields directly and completes them with a completer made once per selection: a scalar or enum
through its type's ``coerce_output_value`` (where graphql-core's path ends too), a list item by
item, an object as a dict of its own plain fields.

A field is *plain* when all of these hold (decided once per selection of an operation):

- the selection passes no arguments and carries no directive (``@skip``/``@include`` are
  applied before, when fields are collected);
- the Strawberry field has no field extensions (no permission or audit hook is skipped), and is
  an attribute or a synchronous resolver taking only ``self``; no resolver middleware runs;
- its type is a scalar, an enum, an object type, or a list or non-null of those, where an object
  type is a Strawberry type without its own ``is_type_of``, no fragment of it is deferred, and
  every field selected on it is plain (``__typename`` is).

Anything unusual on the short path (a read raises; a null for a non-null type; a value the type
refuses; an object of another class, which graphql-core may still accept, e.g. a
``strawberry.cast``; a list that is not a ``list`` or ``tuple``) hands the whole field, or the
whole object, back to graphql-core's path, which reads it again and completes it or reports the
error exactly as before: plain reads have no side effects, so reading twice changes nothing.

The overridden methods (``execute_fields``, ``execute_field``) are those of graphql-core 3.3's
executor; ``pyproject.toml`` bounds graphql-core to that series.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from inspect import CO_ITERABLE_COROUTINE
from math import isfinite
from operator import attrgetter
from types import CoroutineType, GeneratorType
from typing import Any, TypeGuard

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

Getter = Callable[[Any], Any]
# A value as read -> the value in the response; raises on anything the short path leaves to
# graphql-core.
Complete = Callable[[Any], Any]
# A plain field: how to read it off its parent, how to complete what was read, and the type
# whose values complete to themselves (``str`` for a ``String``: the caller skips the call), if
# any.
Plain = tuple[Getter, Complete, type | None]
# A field of an object as its completer reads it: response name, then a ``Plain``.
Field = tuple[str, Getter, Complete, type | None]
# Strawberry's default resolver (StrawberryConfig.default_resolver) reads attributes.
_DEFAULT_RESOLVER = getattr
_SKIP_INCLUDE = frozenset({"skip", "include"})


class NotPlain(Exception):
    """A value the short path does not complete: graphql-core's path runs instead."""


def plain_getter(field: StrawberryField) -> Getter | None:
    """How to read ``field`` off its parent outside the general resolver path, or None when it
    needs that path (field extensions, arguments, ``info``, ``root``/``parent``, an async
    resolver, a custom default resolver)."""
    if field.extensions:
        return None
    resolver = field.base_resolver
    if resolver is None:
        if getattr(field, "default_resolver", _DEFAULT_RESOLVER) is not _DEFAULT_RESOLVER:
            return None
        return attrgetter(field.python_name)
    if (
        resolver.is_async
        or resolver.arguments
        or resolver.info_parameter is not None
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
        or resolver.self_parameter is None
    ):
        return None
    # The resolver's own function (a method: it takes the parent as ``self``).
    func = resolver.wrapped_func
    return func if callable(func) else None


# Whether values of a type can be awaited, by type (``await`` looks at the type, never at the
# instance). Generators are asked each time: only some of them are coroutines.
_AWAITABLE_TYPES: dict[type, bool] = {
    type(None): False,
    bool: False,
    int: False,
    float: False,
    str: False,
    list: False,
    tuple: False,
    dict: False,
}
_MAX_KNOWN_TYPES = 4096


def is_awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    """graphql-core's question, answered once per type rather than with ``hasattr`` on every
    value (a failed ``hasattr`` raises and catches an AttributeError inside)."""
    kind = type(value)
    known = _AWAITABLE_TYPES.get(kind)
    if known is not None:
        return known
    if issubclass(kind, GeneratorType):
        return bool(value.gi_code.co_flags & CO_ITERABLE_COROUTINE)
    found = issubclass(kind, CoroutineType) or hasattr(kind, "__await__")
    if len(_AWAITABLE_TYPES) < _MAX_KNOWN_TYPES:
        _AWAITABLE_TYPES[kind] = found
    return found


def _non_null(inner: Complete) -> Complete:
    def complete(value: Any) -> Any:
        completed = inner(value)
        if completed is None:
            raise NotPlain
        return completed

    return complete


def _list_of(inner: Complete) -> Complete:
    def complete(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is not list and type(value) is not tuple:
            raise NotPlain
        return [inner(item) for item in value]

    return complete


def _leaf(of: GraphQLLeafType) -> Complete:
    """A scalar's or enum's completer: its ``coerce_output_value``, with the answer given at
    once where it is known without it (a ``str`` for ``String``, an ``int`` in range for
    ``Int``, ...: what those functions return for such values) or was given before (an enum
    member: Strawberry's enum type searches its values for each one)."""
    coerce = of.coerce_output_value
    exact = _EXACT.get(of)
    # Enum members are singletons: keyed by identity (an enum's __hash__ is Python code).
    known: dict[int, Any] = {}

    def coerced(value: Any) -> Any:
        if isinstance(value, Exception):
            raise NotPlain
        out = coerce(value)
        if out is None or out is Undefined:
            raise NotPlain
        return out

    if exact is not None:
        kind, valid = exact

        def scalar(value: Any) -> Any:
            if value is None:
                return None
            if type(value) is kind and valid(value):
                return value
            return coerced(value)

        return scalar

    def leaf(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Enum):
            found = known.get(id(value))
            if found is None:
                found = coerced(value)
                if len(known) < _MAX_KNOWN_MEMBERS:
                    known[id(value)] = found
            return found
        return coerced(value)

    return leaf


def _any(value: Any) -> bool:
    return True


def _int32(value: int) -> bool:
    return GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT


# The built-in scalars, and the values their coercion returns unchanged.
_EXACT: dict[GraphQLLeafType, tuple[type, Callable[[Any], bool]]] = {
    GraphQLString: (str, _any),
    GraphQLID: (str, _any),
    GraphQLBoolean: (bool, _any),
    GraphQLInt: (int, _int32),
    GraphQLFloat: (float, isfinite),
}
_MAX_KNOWN_MEMBERS = 1024


def _object(origin: type, fields: list[Field], *, non_null: bool = False) -> Complete:
    """An object's completer; ``non_null``: of a non-null type, checked here (a null hands
    back) rather than by a wrapper, one call less for each of a large answer's objects."""
    read_fields = _fields_of(fields)

    def complete(value: Any) -> Any:
        if value is None:
            if non_null:
                raise NotPlain
            return None
        if not isinstance(value, origin):
            raise NotPlain
        return read_fields(value)

    return complete


class ProvgraphExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with plain fields completed directly (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable
        # Keyed by the id of graphql-core's (memoized, reused) field lists and grouped field
        # sets, which are kept here so that their ids stay unique while this execution runs.
        self._fields: dict[int, tuple[FieldDetailsList, Plain | None]] = {}
        self._objects: dict[int, tuple[GroupedFieldSet, Complete | None]] = {}
        self._no_middleware = (
            self.middleware_manager is None or not self.middleware_manager.middlewares
        )

    # Plans, made once per selection.

    def _field(self, parent_type: GraphQLObjectType, details: FieldDetailsList) -> Plain | None:
        key = id(details)
        known = self._fields.get(key)
        if known is not None:
            return known[1]
        plain = self._plan_field(parent_type, details) if self._no_middleware else None
        self._fields[key] = (details, plain)
        return plain

    def _plan_field(
        self, parent_type: GraphQLObjectType, details: FieldDetailsList
    ) -> Plain | None:
        node = details[0].node
        if node.arguments or any(d.name.value not in _SKIP_INCLUDE for d in node.directives or ()):
            return None
        if node.name.value == "__typename":
            name = parent_type.name
            return (lambda _value: name), _identity, str
        field_def = self.schema.get_field(parent_type, node.name.value)
        if field_def is None or field_def.args:
            return None
        definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryField):
            return None
        getter = plain_getter(definition)
        if getter is None:
            return None
        completer = self._completer(field_def.type, details)
        return None if completer is None else (getter, *completer)

    def _completer(
        self, of: GraphQLOutputType, details: FieldDetailsList, *, non_null: bool = False
    ) -> tuple[Complete, type | None] | None:
        """How to complete a value of type ``of`` selected with ``details``, and the type of
        the values that complete to themselves; None when graphql-core's path must.
        ``non_null``: ``of`` is an object type inside a non-null one."""
        if isinstance(of, GraphQLNonNull):
            if isinstance(of.of_type, GraphQLObjectType):
                return self._completer(of.of_type, details, non_null=True)
            inner = self._completer(of.of_type, details)
            return None if inner is None else (_non_null(inner[0]), inner[1])
        if isinstance(of, GraphQLList):
            inner = self._completer(of.of_type, details)
            return None if inner is None else (_list_of(inner[0]), None)
        if is_leaf_type(of):
            exact = _EXACT.get(of)
            return _leaf(of), exact[0] if exact is not None and exact[1] is _any else None
        if isinstance(of, GraphQLObjectType):
            definition = (of.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if not isinstance(definition, StrawberryObjectDefinition) or definition.is_type_of:
                return None
            grouped, deferred, _forbidden = self.collect_subfields(of, details)
            if deferred:
                return None
            fields = self._plan_object(of, grouped)
            if fields is None:
                return None
            return _object(definition.origin, fields, non_null=non_null), None
        return None  # interfaces and unions: graphql-core resolves the runtime type

    def _plan_object(
        self, parent_type: GraphQLObjectType, grouped: GroupedFieldSet
    ) -> list[Field] | None:
        fields: list[Field] = []
        for name, details in grouped.items():
            plain = self._field(parent_type, details)
            if plain is None:
                return None
            fields.append((name, *plain))
        return fields

    def _object(self, parent_type: GraphQLObjectType, grouped: GroupedFieldSet) -> Complete | None:
        key = id(grouped)
        known = self._objects.get(key)
        if known is not None:
            return known[1]
        fields = self._plan_object(parent_type, grouped)
        complete = None if fields is None else _fields_of(fields)
        self._objects[key] = (grouped, complete)
        return complete

    # graphql-core's executor, with the short path first.

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        complete = self._object(parent_type, grouped_field_set)
        if complete is not None:
            try:
                return complete(source_value)
            except Exception:  # graphql-core's path reads it again and reports it
                pass
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        plain = self._field(parent_type, field_details_list)
        if plain is not None:
            try:
                return plain[1](plain[0](source))  # (no shortcut: one field)
            except Exception:  # graphql-core's path reads it again and reports it
                pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _identity(value: Any) -> Any:
    return value


def _fields_of(fields: list[Field]) -> Complete:
    """An object's plain fields, read off it (its type was checked by whoever completed it)."""

    def complete(value: Any) -> Any:
        out = {}
        for name, read, done, same in fields:
            got = read(value)
            out[name] = got if type(got) is same else done(got)
        return out

    return complete
