"""The committed build of web/ (src/provgraph/web/static) matches its sources.

web/build.mjs writes BUILD.json with the SHA-256 of its inputs (package-lock.json, build.mjs and
web/src/**); this recomputes it. When it fails, rebuild: ``make web`` (npm ci + npm run build)
and commit src/provgraph/web/static. CI also rebuilds and diffs the output byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
STATIC = ROOT / "src" / "provgraph" / "web" / "static"
CDNS = ("//unpkg.com/", "cdn.jsdelivr.net/", "cdnjs.cloudflare.com", "fonts.googleapis.com")


def _files(folder: Path) -> list[Path]:
    out: list[Path] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        out.extend(_files(path) if path.is_dir() else [path])
    return out


def _inputs_digest() -> str:
    digest = hashlib.sha256()
    names = ["package-lock.json", "build.mjs"] + [
        p.relative_to(WEB).as_posix() for p in _files(WEB / "src")
    ]
    for name in names:
        digest.update(name.encode() + b"\0")
        digest.update((WEB / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def test_committed_build_matches_the_sources() -> None:
    stamp = json.loads((STATIC / "BUILD.json").read_text(encoding="utf-8"))
    assert stamp["inputs_sha256"] == _inputs_digest(), (
        "web/ changed since src/provgraph/web/static was built: run `make web` and commit"
    )


def test_pages_load_nothing_from_elsewhere() -> None:
    for page in ("graphiql.html", "explorer.html"):
        html = (STATIC / page).read_text(encoding="utf-8")
        assert "http://" not in html and "https://" not in html, page
    for asset in ("graphiql.js", "graphiql.css", "explorer.js", "explorer.css"):
        text = (STATIC / asset).read_text(encoding="utf-8")
        for cdn in CDNS:
            assert cdn not in text, f"{asset} names {cdn}"


def test_explorer_bundle_stays_small() -> None:
    """Cytoscape.js is most of it (~430 KB minified); the explorer's own code is the rest."""
    size = (STATIC / "explorer.js").stat().st_size
    assert size < 700_000, f"explorer.js is {size} bytes"


def test_pages_run_no_inline_script() -> None:
    """The CSP has script-src 'self': a page's scripts must be files."""
    for page in ("graphiql.html", "explorer.html"):
        html = (STATIC / page).read_text(encoding="utf-8")
        assert "<script>" not in html and "onclick=" not in html, page
