"""Relay cursor connections built from keyset pages.

Repositories page by a sort key (for example ``[created_at, id]``) and fetch ``first + 1`` rows,
so ``hasNextPage`` is known without counting. Cursors are opaque base64 of the sort key as JSON.

``Connection`` and ``Edge`` mirror Strawberry's relay types (same SDL) but take any item type:
lists of plain values such as edges or steps are connections too, not only ``relay.Node``s.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry import relay

from provgraph.core.api.body import has_lone_surrogate
from provgraph.core.api.context import Info
from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.paging import PageRequest, Slice

R = TypeVar("R")
T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
# The page-size argument of every connection, its default stated in the SDL.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page size. Null (the default): {DEFAULT_PAGE_SIZE}; at most "
        "PROVGRAPH_MAX_PAGE_SIZE (500 unless configured)."
    ),
]


def encode_cursor(key: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def decode_cursor(cursor: str | None, field: str = "after") -> list[Any] | None:
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, RecursionError):
        raise BadUserInput(f"{field} is not a cursor this server issued", field=field) from None
    # Sort keys are strings and 64-bit integers, as the engine stores them: an integer over 2^63
    # (the driver cannot send it) or a lone surrogate (nor that) is not a cursor we issued.
    if not isinstance(key, list) or not all(_key_part(part) for part in key):
        raise BadUserInput(f"{field} is not a cursor this server issued", field=field)
    return key


def _key_part(value: Any) -> bool:
    if isinstance(value, bool):
        return True  # refused by PageRequest.key, as before
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, str):
        return not has_lone_surrogate(value)
    return True


def page_size(first: int | None, maximum: int, default: int = DEFAULT_PAGE_SIZE) -> int:
    if first is None:
        return min(default, maximum)
    if first < 0:
        raise BadUserInput("first must be 0 or more", field="first")
    if first > maximum:
        raise BadUserInput(f"first may be at most {maximum}", field="first", maximum=maximum)
    return first


def connection(
    rows: Sequence[R],
    size: int,
    *,
    had_cursor: bool,
    to_node: Callable[[R], Any],
    key: Callable[[R], Sequence[Any]],
    total: int | None = None,
) -> Connection[Any]:
    """Build a connection from ``size + 1`` fetched rows."""
    page = list(rows[:size])
    edges = [Edge(node=to_node(r), cursor=encode_cursor(key(r))) for r in page]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=had_cursor,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def page_request(info: Info, first: int | None, after: str | None) -> PageRequest:
    """``first`` checked against ``settings.max_page_size`` (default 50), ``after`` decoded."""
    size = page_size(first, info.context.settings.max_page_size)
    return PageRequest(size, decode_cursor(after))


def slice_connection(
    found: Slice[R],
    page: PageRequest,
    *,
    to_node: Callable[[R], Any],
    key: Callable[[R], Sequence[Any]],
) -> Connection[Any]:
    """A connection from one parent's slice of a batched page query (with its total)."""
    return connection(
        found.rows,
        page.size,
        had_cursor=page.after is not None,
        to_node=to_node,
        key=key,
        total=found.total,
    )


@strawberry.type(description="An edge in a connection.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="A cursor for use in pagination")
    node: T = strawberry.field(description="The item at the end of the edge")


@strawberry.type(description="A page of results with Relay cursors.")
class Connection(Generic[T]):
    page_info: relay.PageInfo = strawberry.field(description="Pagination data for this connection")
    edges: list[Edge[T]] = strawberry.field(description="Contains the nodes in this connection")
    total_count: int | None = strawberry.field(
        default=None,
        description="How many items match in all, whatever the cursor (counted by the engine).",
    )
