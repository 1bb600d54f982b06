"""Tracker rules that need no engine: the model registry, priorities, cursors, edge ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provgraph.config import Settings
from provgraph.core.domain.errors import BadUserInput, NotFound
from provgraph.core.domain.paging import PageRequest
from provgraph.core.domain.vocabulary import EdgeKind, NodeLabel
from provgraph.tracker.model_registry import ModelRegistry, ModelRegistryError
from provgraph.tracker.records import TASK_EDGE_ENDS, check_label, check_priority
from provgraph.tracker.service import task_id_arg


def test_shipped_registry_knows_the_big_providers() -> None:
    registry = ModelRegistry.load()
    registry.check("anthropic", "claude-sonnet-4-5")
    registry.check("openai", "gpt-4o")
    registry.check("google", "gemini-2.5-pro")
    assert registry.check("Anthropic", "claude-opus-4-1") == "anthropic"  # provider: any case
    with pytest.raises(NotFound, match="unknown model"):
        registry.check("anthropic", "gpt-4o")
    with pytest.raises(NotFound, match="unknown ML provider"):
        registry.check("acme", "x")


def test_registry_is_extended_by_inline_json_or_a_file(tmp_path: Path) -> None:
    inline = ModelRegistry.load('{"acme": ["acme-1"], "openai": ["gpt-next"]}')
    inline.check("acme", "acme-1")
    inline.check("openai", "gpt-next")
    inline.check("openai", "gpt-4o")  # shipped models stay
    path = tmp_path / "models.json"
    path.write_text(json.dumps({"lab": ["lab-7b"]}))
    ModelRegistry.load(str(path)).check("lab", "lab-7b")
    for bad in ['{"acme": "not-a-list"}', "{nope", str(tmp_path / "missing.json"), "[1]"]:
        with pytest.raises(ModelRegistryError):
            ModelRegistry.load(bad)


def test_extra_models_setting_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROVGRAPH_EXTRA_MODELS", '{"acme": ["acme-1"]}')
    ModelRegistry.load(Settings().extra_models).check("acme", "acme-1")


def test_priorities_labels_ids() -> None:
    assert [check_priority(p) for p in range(5)] == [0, 1, 2, 3, 4]
    for bad in (-1, 5):
        with pytest.raises(BadUserInput):
            check_priority(bad)
    assert check_label("  ui ") == "ui"
    with pytest.raises(BadUserInput):
        check_label("  ")
    good = "https://github.com/o/r--0190a5b2-0000-7000-8000-000000000000"
    assert task_id_arg(good) == good
    for bad_id in ["", "https://github.com/o/r", "ns--0190a5b2-0000-4000-8000-000000000000"]:
        with pytest.raises(BadUserInput):
            task_id_arg(bad_id)


def test_cursor_keys_are_type_checked() -> None:
    assert PageRequest(5).key(int, str) is None
    assert PageRequest(5, [3, "x"]).key(int, str) == (3, "x")
    for bad in ([3], ["3", "x"], [True, "x"], [1, 2, "x"]):
        with pytest.raises(BadUserInput):
            PageRequest(5, bad).key(int, str)


def test_every_tracker_edge_starts_at_a_task_and_is_stored_effect_to_cause() -> None:
    assert set(TASK_EDGE_ENDS) == {
        EdgeKind.BLOCKED_BY,
        EdgeKind.DERIVED_FROM,
        EdgeKind.SUPERSEDES,
        EdgeKind.DISCOVERED_FROM,
        EdgeKind.GENERATED_BY,
        EdgeKind.ATTRIBUTED_TO,
    }
    for kind, (source, _) in TASK_EDGE_ENDS.items():
        assert source is NodeLabel.TASK
        assert kind.spec.source_is_effect
