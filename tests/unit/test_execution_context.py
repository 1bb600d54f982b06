"""The short path for plain fields (core.api.execution) answers exactly what graphql-core's own
path answers: the same data, the same errors at the same paths, for plain fields and for every
kind of field that must take the long way."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any, cast

import pytest
import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info

from provgraph.core.api.execution import ProvgraphExecutionContext, is_awaitable


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Named:
    name: str


class Upper(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        return str(next_(source, info, **kwargs)).upper()


@strawberry.type
class Leaf(Named):
    name: str
    colour: Colour | None = None
    size: int = 0
    ratio: float | None = None
    flag: bool | None = None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def must(self) -> str:
        # A non-null field answering null: an error at its path, its parent nulled.
        return cast(str, None) if self.name == "hole" else self.name

    @strawberry.field
    def fails(self) -> str | None:
        if self.name == "boom":
            raise ValueError("boom failed")
        return "ok"

    @strawberry.field
    def with_info(self, info: Info) -> str:
        return f"{self.name}@{info.field_name}"

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name

    @strawberry.field
    def times(self, n: int = 2) -> int:
        return self.size * n

    @strawberry.field(extensions=[Upper()])  # type: ignore[untyped-decorator]
    def loud(self) -> str:
        return self.name


class LeafLike:
    """Not a Leaf, cast to one: graphql-core accepts it (the short path hands it over)."""

    name = "like"
    colour = None
    size = 5

    def shout(self) -> str:
        return "LIKE"


@strawberry.type
class Box:
    label: str
    leaves: list[Leaf]
    maybe: list[Leaf | None] | None
    tags: list[str]
    first: Leaf | None = None
    count: int = 0


def _box(name: str, leaves: list[Any], **kw: Any) -> Box:
    return Box(label=name, leaves=leaves, maybe=None, tags=["a", "b"], **kw)


BOXES: dict[str, Any] = {
    "plain": _box("p", [Leaf(name="x", colour=Colour.RED, size=1), Leaf(name="y")]),
    "hole": _box("h", [Leaf(name="x"), Leaf(name="hole")]),
    "boom": _box("b", [Leaf(name="boom")], first=Leaf(name="boom")),
    "cast": _box("c", [cast(Leaf, strawberry.cast(Leaf, LeafLike()))]),
    "null_item": Box(label="n", leaves=cast(list[Leaf], [None]), maybe=[None], tags=[]),
    "wrong_leaf": _box("w", [Leaf(name="x", size=cast(int, "big"))]),
    "out_of_range": _box("o", [Leaf(name="x", size=2**40), Leaf(name="y", ratio=float("inf"))]),
    "coerced": _box("k", [Leaf(name="x", size=cast(int, 2.0), ratio=cast(float, 3), flag=True)]),
    "tuple": Box(label="t", leaves=cast(list[Leaf], (Leaf(name="t"),)), maybe=None, tags=[]),
}


@strawberry.type
class Query:
    @strawberry.field
    def box(self, kind: str) -> Box:
        return cast(Box, BOXES[kind])

    @strawberry.field
    def boxes(self) -> list[Box]:
        return [BOXES["plain"], BOXES["hole"]]

    @strawberry.field
    def named(self) -> list[Named]:
        return [Leaf(name="i")]


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    return (
        strawberry.Schema(Query),
        strawberry.Schema(Query, execution_context_class=ProvgraphExecutionContext),
    )


SELECTIONS = [
    "label count tags __typename leaves { name colour size shout __typename }",
    "leaves { size ratio flag colour }",
    "leaves { name must }",
    "leaves { name fails } first { fails }",
    "leaves { withInfo later loud times(n: 3) }",
    "leaves { name } maybe { name }",
    "leaves { ... on Leaf { name } ...F } first { name }",
    "leaves { size @include(if: false) name @skip(if: false) }",
]


@pytest.mark.parametrize("kind", sorted(BOXES))
@pytest.mark.parametrize("selection", SELECTIONS)
async def test_the_short_path_answers_what_graphql_core_answers(kind: str, selection: str) -> None:
    document = f'{{ box(kind: "{kind}") {{ {selection} }} }} fragment F on Leaf {{ size }}'
    if "...F" not in selection:
        document = document.replace(" fragment F on Leaf { size }", "")
    plain, fast = _schemas()
    expected = await plain.execute(document)
    got = await fast.execute(document)
    assert got.data == expected.data
    assert [e.formatted for e in got.errors or []] == [e.formatted for e in expected.errors or []]


async def test_lists_of_objects_interfaces_and_nested_lists() -> None:
    document = "{ boxes { label leaves { name must } } named { name __typename } }"
    plain, fast = _schemas()
    expected = await plain.execute(document)
    got = await fast.execute(document)
    assert got.data == expected.data
    assert [e.formatted for e in got.errors or []] == [e.formatted for e in expected.errors or []]
    assert got.errors  # the "hole" leaf's non-null field


def test_awaitable_is_decided_by_type() -> None:
    async def coroutine() -> None:
        return None

    running = coroutine()
    try:
        assert is_awaitable(cast(object, running))
    finally:
        running.close()
    loop = asyncio.new_event_loop()
    try:
        assert is_awaitable(loop.create_future())
    finally:
        loop.close()
    assert not is_awaitable(Leaf(name="x"))
    assert not is_awaitable("text")
    assert not is_awaitable(None)


class Counting(ProvgraphExecutionContext):
    """Counts graphql-core's own completions (the short path makes none)."""

    completions = 0

    def complete_value(self, *args: Any, **kwargs: Any) -> Any:
        Counting.completions += 1
        return super().complete_value(*args, **kwargs)


async def test_a_plain_selection_is_completed_without_graphql_core() -> None:
    schema = strawberry.Schema(Query, execution_context_class=Counting)
    Counting.completions = 0
    result = await schema.execute(
        '{ box(kind: "plain") { label tags leaves { name colour shout __typename } } }'
    )
    assert not result.errors
    assert result.data == {
        "box": {
            "label": "p",
            "tags": ["a", "b"],
            "leaves": [
                {"name": "x", "colour": "RED", "shout": "X", "__typename": "Leaf"},
                {"name": "y", "colour": None, "shout": "Y", "__typename": "Leaf"},
            ],
        }
    }
    # The root field only (it takes an argument): its non-null type, then Box.
    assert Counting.completions == 2
