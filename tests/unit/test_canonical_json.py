"""Content hashes use RFC 8785 (JCS) canonical JSON, so a verifier in another language computes
the same hash. Vectors from RFC 8785 (section 3.2.2 example, 3.2.3 sorting, Appendix B numbers).
"""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from provgraph.core.domain.canonical import canonical_json
from provgraph.runs.rules import HASHED_FIELDS, canonical, chained_hash, content_hash, sha256

# RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),  # -0
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "text"), NUMBERS)
def test_numbers_print_as_ecmascript_does(bits: str, text: str) -> None:
    (value,) = struct.unpack(">d", bytes.fromhex(bits))
    assert canonical(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.1, "0.1"), (1e21, "1e+21"), (-0.0, "0"), (1.0, "1"), (1e-7, "1e-7"), (0.00001, "0.00001")],
)
def test_numbers_people_write(value: float, text: str) -> None:
    assert canonical(value) == text


def test_rfc_example() -> None:
    value = json.loads(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    assert canonical(value) == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )


def test_keys_sort_by_utf16_code_units() -> None:
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = [k for k, _ in json.loads(canonical(value), object_pairs_hook=list)]
    # U+1F600 is the surrogate pair D83D DE00, so it sorts before U+FB33 (code-point order
    # would put it last).
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_what_jcs_cannot_represent_fails_loudly() -> None:
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical(2**53)
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical("\ud800")


# --- what changed for hashes stored before this version ----------------------------------


def _python_json(value: Any) -> str:
    """The canonical form before RFC 8785 (for the migration note in README)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _content(cost: float | None, text: str = 'é \u2028 \x1f 😀 "q"') -> dict[str, Any]:
    content: dict[str, Any] = {f: None for f in HASHED_FIELDS}
    content.update(
        id="r:n1",
        kind="decision",
        run_id="r",
        step=3,
        text=text,
        json='{"b": 1.0, "a": [1e-7]}',  # a string to the hash: kept as sent
        occurred_at=1767225601000,
        tokens=120,
        cost=cost,
        latency_ms=30,
    )
    return content


@pytest.mark.parametrize("cost", [None, 0.5, 0.1, 0.25, 1.5, 1e-4, 1e21, 12.345])
def test_content_hashes_of_strings_ints_and_most_costs_are_unchanged(cost: float | None) -> None:
    content = _content(cost)
    before = sha256(_python_json({f: content.get(f) for f in HASHED_FIELDS}))
    assert content_hash(content) == before


@pytest.mark.parametrize("cost", [0.0, -0.0, 1.0, 3.0, 1e15, 1e16, 1e20, 5e-5, 1e-6, 1e-7, 3e-9])
def test_content_hashes_change_for_integral_tiny_and_huge_costs(cost: float) -> None:
    content = _content(cost)
    before = sha256(_python_json({f: content.get(f) for f in HASHED_FIELDS}))
    assert content_hash(content) != before


def test_chained_hashes_and_edge_terms_are_unchanged() -> None:
    own, causes = "a" * 64, ["c" * 64, "b" * 64]
    assert chained_hash(own, causes) == sha256(_python_json([own, sorted(causes)]))
    edge = ["e", "r:n2", "WAS_INFLUENCED_BY", "r:n1"]
    assert canonical(edge) == _python_json(edge)


# --- the fast path agrees with the reference ---------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=-1e17, max_value=1e17).map(float.__round__)  # integral floats
    | st.text()  # includes lone surrogates
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20,
)


def _reference(value: Any) -> str | type[Exception]:
    try:
        return rfc8785.dumps(value).decode("utf-8")
    except rfc8785.CanonicalizationError as e:
        return type(e)


def _fast(value: Any) -> str | type[Exception]:
    try:
        return canonical_json(value)
    except rfc8785.CanonicalizationError as e:
        return type(e)


@settings(max_examples=3000, deadline=None)
@given(_values)
def test_the_fast_path_prints_what_rfc8785_prints(value: Any) -> None:
    assert _fast(value) == _reference(value)


@pytest.mark.parametrize(
    "value",
    [
        1e-4,
        9.9999e-5,
        1e16 - 2,
        1e16,
        2.0**53,
        -(2.0**53),
        2**53 - 1,
        -(2**53 - 1),
        2**53,
        0.1 + 0.2,
        5e-324,
        {"\u00e9": 1, "e": 2},
        {"a": "\x7f\x00\u2028"},
        ["\ud83d\ude00"],
        {"\U0001f600": 1, "\ufb33": 2},
        True,
        [None, False],
    ],
)
def test_the_fast_path_at_its_edges(value: Any) -> None:
    assert _fast(value) == _reference(value)
