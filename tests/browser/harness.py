"""Run a tests/browser/scenarios/*.mjs through drive.mjs (playwright-core + Debian's chromium)
and check what it saw: outside requests blocked, no console errors, screenshots not blank."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
CHROMIUM = os.environ.get("PROVGRAPH_CHROMIUM", "/usr/bin/chromium")


def require_browser() -> None:
    """Skip (or fail, where CI requires the browser tests) without chromium or playwright-core."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"chromium at {CHROMIUM} (apt-get install -y chromium)")
    if shutil.which("node") is None:
        missing.append("node")
    if not (HERE / "node_modules" / "playwright-core").exists():
        missing.append("playwright-core (cd tests/browser && npm ci)")
    if missing:
        reason = "browser tests need " + ", ".join(missing)
        if os.environ.get("PROVGRAPH_BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)


def drive(scenario: str, base: str, timeout: float = 180, **args: Any) -> dict[str, Any]:
    require_browser()
    done = subprocess.run(
        ["node", str(HERE / "drive.mjs"), scenario, base, str(ARTIFACTS), json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=HERE,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"], report
    return report


def assert_clean(report: dict[str, Any]) -> None:
    """No console or page errors, no failed request, every screenshot shows something."""
    assert report["consoleErrors"] == [], report["consoleErrors"]
    assert report["pageErrors"] == [], report["pageErrors"]
    assert report["failed"] == [], report["failed"]
    assert report["blocked"] == [], f"the page asked for outside URLs: {report['blocked']}"
    assert report["screenshots"], "the scenario took no screenshot"
    for path in report["screenshots"]:
        assert distinct_colours(Path(path)) > 8, f"{path} is blank"


def distinct_colours(png: Path, limit: int = 1000) -> int:
    """How many distinct pixel values a PNG screenshot has (up to ``limit``): a blank page has 1."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour_type in (2, 6), "unexpected PNG format"
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    seen: set[bytes] = set()
    for y in range(height):
        row_start = y * (stride + 1)
        kind = raw[row_start]
        row = bytearray(raw[row_start + 1 : row_start + 1 + stride])
        for i in range(stride):
            left = row[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[i] = (row[i] + pred) & 0xFF
        if y % 4 == 0:
            for x in range(0, stride, bpp * 4):
                seen.add(bytes(row[x : x + bpp]))
            if len(seen) >= limit:
                return len(seen)
        previous = row
    return len(seen)
