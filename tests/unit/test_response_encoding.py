"""Response bodies: orjson's UTF-8 JSON, and ``json.dumps`` for what orjson refuses."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from provgraph.core.api.view import ProvgraphGraphQL
from provgraph.schema import build_schema

VIEW = ProvgraphGraphQL(build_schema())

# What a GraphQL response holds: JSON values with string keys (floats are finite: the Float
# scalar refuses others).
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_the_body_decodes_to_the_value(value: object) -> None:
    body = VIEW.encode_json({"data": value})
    assert isinstance(body, str)  # bytes would go out over a websocket as binary frames
    assert json.loads(body) == {"data": value}


def test_text_is_utf8_not_escaped() -> None:
    assert VIEW.encode_json({"data": {"text": "née ✓"}}) == '{"data":{"text":"née ✓"}}'


def test_values_orjson_refuses_are_still_answered() -> None:
    # A JSON scalar's value may hold an integer past 64 bits or a lone surrogate (as stored).
    big = 10**30
    assert json.loads(VIEW.encode_json({"data": {"n": big}})) == {"data": {"n": big}}
    assert VIEW.encode_json({"data": {"s": "a\ud800"}}) == '{"data":{"s":"a\\ud800"}}'
