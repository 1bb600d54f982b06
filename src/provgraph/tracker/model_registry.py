"""The ML model registry: which (provider, model) pairs an ML agent may name.

Well-known providers and models ship with provgraph (``models.json`` beside this module);
``PROVGRAPH_EXTRA_MODELS`` adds more, either as inline JSON or as the path of a JSON file, in
the same shape: ``{"provider": ["model", ...]}``. Providers compare case-insensitively (kept
lower-case), model names exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from provgraph.core.domain.errors import NotFound


class ModelRegistryError(ValueError):
    """The extra-models setting is not valid JSON of the right shape."""


def _parse(raw: object, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise ModelRegistryError(f"{where}: expected an object of provider -> [model, ...]")
    out: dict[str, tuple[str, ...]] = {}
    for provider, models in raw.items():
        ok = isinstance(models, list) and all(isinstance(m, str) and m for m in models)
        if not isinstance(provider, str) or not provider or not ok:
            raise ModelRegistryError(f"{where}: {provider!r} must map to a list of model names")
        out[provider] = tuple(models)
    return out


def _builtin() -> dict[str, tuple[str, ...]]:
    text = resources.files("provgraph.tracker").joinpath("models.json").read_text("utf-8")
    return _parse(json.loads(text), "models.json")


def load_extra(setting: str | None) -> dict[str, tuple[str, ...]]:
    """Inline JSON (starts with ``{``) or a path to a JSON file; ``None``/empty: nothing."""
    if not setting or not setting.strip():
        return {}
    text = setting.strip()
    where = "PROVGRAPH_EXTRA_MODELS"
    if not text.startswith("{"):
        path = Path(text).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ModelRegistryError(f"{where}: cannot read {path}: {exc}") from exc
        where = str(path)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelRegistryError(f"{where}: not valid JSON: {exc}") from exc
    return _parse(raw, where)


class ModelRegistry:
    def __init__(self, providers: Mapping[str, tuple[str, ...]]) -> None:
        self._providers = {p.lower(): tuple(dict.fromkeys(ms)) for p, ms in providers.items()}

    @classmethod
    def load(cls, extra_setting: str | None = None) -> ModelRegistry:
        merged = {p.lower(): list(ms) for p, ms in _builtin().items()}
        for provider, models in load_extra(extra_setting).items():
            merged.setdefault(provider.lower(), []).extend(models)
        return cls({p: tuple(ms) for p, ms in merged.items()})

    def providers(self) -> dict[str, tuple[str, ...]]:
        return dict(self._providers)

    def check(self, provider: str, model: str) -> str:
        """The provider's canonical (lower-case) name; NOT_FOUND unless it offers the model."""
        models = self._providers.get(provider.lower())
        if models is None:
            raise NotFound(
                f"unknown ML provider {provider!r}; known: {', '.join(sorted(self._providers))}",
                field="provider",
            )
        if model not in models:
            raise NotFound(f"unknown model {model!r} for provider {provider!r}", field="model")
        return provider.lower()
