"""Node ids: ``{namespace}--{UUIDv7}`` when the server makes them; client ids are checked.

A namespace is a short slug or a URI (``https://github.com/owner/repo``, ``file:///path``).
"""

from __future__ import annotations

import os
import re
import uuid

from provgraph.core.domain.errors import BadUserInput
from provgraph.core.domain.timefmt import now_ms

MAX_ID_LENGTH = 512
SEPARATOR = "--"
_NAMESPACE = re.compile(
    r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://[^\s\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f/]|[A-Za-z0-9][A-Za-z0-9._\-/]*)$"
)
# Ids: printable, no whitespace or control characters.
_ID = re.compile(r"^[^\s\x00-\x1f\x7f]+$")
_UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def uuid7() -> uuid.UUID:
    """RFC 9562 UUIDv7: 48-bit Unix ms timestamp, then random bits (sortable by creation)."""
    ms = now_ms()
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def validate_namespace(namespace: str, field: str = "namespace") -> str:
    if not namespace or len(namespace) > 256 or not _NAMESPACE.match(namespace):
        raise BadUserInput(
            f"{field} must be a slug or a URI such as https://github.com/owner/repo "
            f"(got {namespace[:80]!r})",
            field=field,
        )
    if SEPARATOR in namespace.split("://", 1)[-1]:
        raise BadUserInput(f"{field} may not contain {SEPARATOR!r}", field=field)
    return namespace


def new_id(namespace: str) -> str:
    return f"{validate_namespace(namespace)}{SEPARATOR}{uuid7()}"


def validate_id(value: str, field: str = "id") -> str:
    """Any client id: non-empty, bounded, printable, no whitespace or control characters."""
    if not value or len(value) > MAX_ID_LENGTH or not _ID.match(value):
        raise BadUserInput(
            f"{field} must be 1-{MAX_ID_LENGTH} printable characters without spaces "
            f"(got {value[:80]!r})",
            field=field,
        )
    return value


def split_namespaced_id(value: str, field: str = "id") -> tuple[str, str]:
    """A ``{namespace}--{UUIDv7}`` id split in two; BAD_USER_INPUT when malformed."""
    validate_id(value, field)
    namespace, sep, tail = value.rpartition(SEPARATOR)
    if not sep or not _UUID7.match(tail):
        raise BadUserInput(f"{field} must look like {{namespace}}--{{UUIDv7}}", field=field)
    validate_namespace(namespace, field)
    return namespace, tail
