"""``provgraph keys create|revoke|list``: API keys, stored hashed, shown once."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from provgraph.config import Settings
from provgraph.core.domain.errors import ProvgraphError
from provgraph.core.domain.timefmt import to_iso
from provgraph.core.observe.logs import new_correlation_id
from provgraph.core.store import audit
from provgraph.core.store.catalog import default_catalog
from provgraph.core.store.executor import Executor
from provgraph.core.store.schema_setup import apply_schema
from provgraph.engine.access import engine_for_command
from provgraph.engine.errors import EngineStartError
from provgraph.keys.records import ApiKeyRecord
from provgraph.keys.repository import KeyRepository
from provgraph.keys.service import KeyService


def register(sub: Any) -> None:
    keys: argparse.ArgumentParser = sub.add_parser("keys", help="manage API keys")
    actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key (the token is shown once)")
    create.add_argument("--tenant", required=True, help="the tenant the key acts for")
    create.add_argument("--read-only", action="store_true", help="the key may not mutate")
    create.add_argument("--name", default="", help="a note saying what the key is for")
    create.add_argument("--format", choices=["text", "json"], default="text")
    create.set_defaults(run=run)
    revoke = actions.add_parser("revoke", help="revoke a key by its key id")
    revoke.add_argument("key_id")
    revoke.add_argument("--format", choices=["text", "json"], default="text")
    revoke.set_defaults(run=run)
    listing = actions.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--tenant", help="only this tenant's keys")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(run=run)


def _as_json(record: ApiKeyRecord) -> dict[str, Any]:
    return {
        "keyId": record.id,
        "tenant": record.tenant,
        "name": record.name,
        "readOnly": record.read_only,
        "createdAt": to_iso(record.created_at),
        "revokedAt": to_iso(record.revoked_at),
    }


def dev_mode_warning(settings: Settings, tenant: str) -> str | None:
    """What a key created while the server needs none does not do."""
    if settings.auth_required:
        return None
    warning = (
        "API keys are not required (dev mode): requests without a key still act as tenant "
        f"{settings.dev_tenant!r}"
    )
    if tenant == settings.dev_tenant:
        warning += ", the same tenant as this key, so the key protects nothing"
    return warning + "; set PROVGRAPH_REQUIRE_API_KEYS=true to require keys"


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    async with engine_for_command(settings) as engine:
        executor = Executor(
            engine.driver, engine.database, default_catalog(), settings.query_timeout
        )
        await apply_schema(executor)
        service = KeyService(KeyRepository(executor))
        if args.action == "create":
            warning = dev_mode_warning(settings, args.tenant)
            if warning:
                print(f"provgraph: warning: {warning}", file=sys.stderr)
            # Audited like a mutation: the tenant's chain records who can now act for it.
            with audit.scope(
                key_id=None,
                action="keys.create",
                operation="provgraph keys create",
                correlation_id=new_correlation_id(),
                args={"tenant": args.tenant, "readOnly": args.read_only, "name": args.name},
            ):
                record, token = await service.create(
                    args.tenant, read_only=args.read_only, name=args.name
                )
            if args.format == "json":
                print(json.dumps({**_as_json(record), "token": token}))
            else:
                mode = "read-only" if record.read_only else "read-write"
                print(f"created {mode} key {record.id} for tenant {record.tenant!r}")
                print(f"token (shown once, store it now): {token}")
            return 0
        if args.action == "revoke":
            record = await service.revoke(args.key_id)
            if args.format == "json":
                print(json.dumps(_as_json(record)))
            else:
                print(f"revoked key {record.id} of tenant {record.tenant!r}")
            return 0
        records = await service.list(args.tenant)
        if args.format == "json":
            print(json.dumps([_as_json(r) for r in records]))
        else:
            print(
                f"{'KEY ID':<17} {'TENANT':<24} {'MODE':<10} {'CREATED':<26} {'REVOKED':<26} NAME"
            )
            for r in records:
                mode = "read-only" if r.read_only else "read-write"
                print(
                    f"{r.id:<17} {r.tenant:<24} {mode:<10} {to_iso(r.created_at) or '':<26} "
                    f"{to_iso(r.revoked_at) or '-':<26} {r.name}"
                )
        return 0


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_run(args, Settings()))
    except (ProvgraphError, EngineStartError) as exc:
        print(f"provgraph: {exc}", file=sys.stderr)
        return 2
