"""RFC 8785 canonical JSON and its sha256: the one rule for content hashes.

``rfc8785`` is the reference, written in pure Python (one call per value, each piece written to
a buffer): a third of a ``recordRun``'s server CPU went there. Most of what provgraph hashes is
small and plain (ASCII keys, strings, integers, ordinary floats), and for such values the C
``json`` encoder already prints the JCS text: the same minimal string escapes (lower-case
``\\u00xx``), and floats between 1e-4 and 1e16 as the same shortest round-trip digits. So the
values are checked in one walk and printed by ``json.dumps``; anything else (a non-ASCII key,
whose order is by UTF-16 code units; a float JCS prints differently; an integer beyond 2**53;
NaN; a lone surrogate) goes to ``rfc8785``, errors included. ``tests/unit/test_canonical.py``
checks the two agree on generated values.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785

_MAX_SAFE = 2**53 - 1
_dumps = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
).encode


class _Unusual(Exception):
    """The value needs the reference implementation."""


def _plain(value: Any) -> Any:
    """``value`` with integral floats as ints; raises ``_Unusual`` where ``json`` and JCS differ."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        if -_MAX_SAFE <= value <= _MAX_SAFE:
            return value
        raise _Unusual
    if kind is float:
        if value.is_integer() and -1e16 < value < 1e16:
            return int(value)  # JCS prints 1.0 as 1 and -0.0 as 0
        if 1e-4 <= abs(value) < 1e16:
            return value
        raise _Unusual  # exponent forms and NaN/Infinity
    if kind is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str or not k.isascii():
                raise _Unusual  # non-ASCII keys sort by UTF-16 code units in JCS
            out[k] = _plain(v)
        return out
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    raise _Unusual


def canonical_json(value: Any) -> str:
    """RFC 8785 (JCS) text of ``value``: sorted keys, no spaces, ECMAScript numbers.

    Integers beyond +-(2**53 - 1) and lone surrogates raise ``rfc8785.CanonicalizationError``.
    """
    try:
        text: str = _dumps(_plain(value))
        text.encode("utf-8")  # a lone surrogate: let the reference raise its error
    except (_Unusual, UnicodeEncodeError):
        return rfc8785.dumps(value).decode("utf-8")
    return text


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(value: Any) -> str:
    """sha256 of the canonical JSON of ``value``."""
    return sha256_hex(canonical_json(value))
