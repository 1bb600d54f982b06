"""RFC 8785 canonical JSON and its sha256: the one rule for content hashes outside the run area
(which keeps its own, ``runs/rules.py``; the two agree, both are ``rfc8785``)."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785


def canonical_json(value: Any) -> str:
    """RFC 8785 (JCS) text of ``value``: sorted keys, no spaces, ECMAScript numbers."""
    return rfc8785.dumps(value).decode("utf-8")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(value: Any) -> str:
    """sha256 of the canonical JSON of ``value``."""
    return sha256_hex(canonical_json(value))
