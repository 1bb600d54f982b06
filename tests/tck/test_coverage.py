"""Every root field of the schema has a TCK test, and every TCK marker names a real field.

A test claims the fields it pins with ``@covers("Query.task")``. The claims are read from the
test modules themselves (imported here), so this holds however the suite is selected.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from provgraph.schema import build_schema
from tests.tck.harness import MARKER, tck_settings

ROOTS = """{ __schema {
  queryType { name fields { name } }
  mutationType { name fields { name } }
  subscriptionType { name fields { name } }
} }"""


async def root_fields() -> set[str]:
    result = await build_schema(tck_settings()).execute(ROOTS)
    assert result.errors is None and result.data is not None
    out: set[str] = set()
    for root in ("queryType", "mutationType", "subscriptionType"):
        found: dict[str, Any] | None = result.data["__schema"][root]
        if found is not None:
            out.update(f"{found['name']}.{f['name']}" for f in found["fields"])
    return out


def claimed() -> dict[str, list[str]]:
    """``{root field: [test module.test name, ...]}`` from the ``covers`` markers."""
    out: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.tck.{info.name}")
        for name, value in vars(module).items():
            if not name.startswith("test_") or not callable(value):
                continue
            for mark in getattr(value, "pytestmark", []):
                if mark.name == MARKER:
                    for field_name in mark.args:
                        out.setdefault(field_name, []).append(f"{info.name}.{name}")
    return out


async def test_every_root_field_has_a_tck_test() -> None:
    missing = sorted((await root_fields()) - set(claimed()))
    assert not missing, f"root fields with no @covers TCK test: {missing}"


async def test_every_covers_marker_names_a_root_field() -> None:
    unknown = sorted(set(claimed()) - (await root_fields()))
    assert not unknown, f"@covers names fields the schema does not have: {unknown}"


def test_each_root_field_is_claimed_by_one_representative_test() -> None:
    twice = {f: tests for f, tests in claimed().items() if len(tests) > 1}
    assert not twice, f"claimed by several tests (mark the representative one): {twice}"
