"""The JSON of a GraphQL request, decoded once and checked before anything reads it.

Refused with HTTP 400 and a GraphQL error body (``BAD_REQUEST``), never a 500:
bodies that are not UTF-8, not JSON, nested past what the decoder can follow, holding an
integer longer than Python converts (4,300 digits), holding a lone UTF-16 surrogate
(``"\\ud800"``: no engine can store it and no response can carry it), or whose top level is not
a JSON object (``null``, ``"x"``, ``42``, a batch list).
"""

from __future__ import annotations

import json
import re
from typing import Any

from provgraph.core.domain.errors import ProvgraphError

# A lone surrogate in decoded JSON can only come from a \uD800-\uDFFF escape (strictly decoded
# UTF-8 cannot hold one): only bodies with such an escape are searched string by string.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class BodyRefused(ProvgraphError):
    """A request body refused before GraphQL sees it: HTTP 400 with a GraphQL error body."""

    code = "BAD_REQUEST"


def has_lone_surrogate(value: Any) -> bool:
    """True if any string (key or value) in decoded JSON holds an unpaired surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def decode_request_json(data: str | bytes) -> dict[str, Any]:
    """The request's JSON object, or ``BodyRefused`` saying why not."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BodyRefused(f"the request body is not valid UTF-8 (byte {exc.start})") from None
    else:
        text = data
    try:
        value = json.loads(text)
    except RecursionError:
        raise BodyRefused("the request JSON is nested too deeply") from None
    except ValueError as exc:
        # JSONDecodeError, and integers over Python's digit limit.
        raise BodyRefused(f"the request is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise BodyRefused(
            f"the request JSON must be an object, not {type(value).__name__} "
            "(batches are not supported)"
        )
    if _SURROGATE_ESCAPE.search(text) and has_lone_surrogate(value):
        raise BodyRefused("the request JSON holds a lone UTF-16 surrogate (\\ud800-\\udfff)")
    return value
