"""API key tokens: ``pgk_<key id>_<secret>``. Only a SHA-256 of the secret is stored.

Secrets are 256 random bits, so a fast hash is enough (no password-stretching needed); the
comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from provgraph.core.domain.errors import Unauthenticated

PREFIX = "pgk"
_TOKEN = re.compile(r"^pgk_(?P<key_id>[0-9a-f]{16})_(?P<secret>[A-Za-z0-9_\-]{43})$")


def new_key() -> tuple[str, str]:
    """A fresh (key id, token); the token is shown once and never stored."""
    key_id = secrets.token_hex(8)
    return key_id, f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def parse_token(token: str) -> tuple[str, str]:
    match = _TOKEN.match(token)
    if match is None:
        raise Unauthenticated("malformed API key")
    return match["key_id"], match["secret"]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
