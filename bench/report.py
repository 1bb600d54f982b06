"""What a benchmark run found: tables to print, targets as pass/fail lines, JSON to keep."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([fmt(c) for c in cells])

    def render(self) -> str:
        widths = [len(h) for h in self.headers]
        for row in self.rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

        def line(cells: list[str]) -> str:
            first, *rest = cells
            parts = [first.ljust(widths[0])]
            parts += [c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)]
            return "  ".join(parts).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([self.title, line(self.headers), rule, *(line(r) for r in self.rows)])


def fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 1000:
            return f"{value:,.0f}"
        if value >= 100:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@dataclass
class Target:
    """A goal the benchmark checks; a miss says by how much."""

    name: str
    op: str  # ">=" or "<="
    threshold: float
    actual: float | None
    unit: str = ""
    reason: str = ""  # why it was not measured, when actual is None
    note: str = ""  # what the figure is made of (which operation, at which size)

    @property
    def passed(self) -> bool | None:
        if self.actual is None:
            return None
        if self.op == ">=":
            return self.actual >= self.threshold
        return self.actual <= self.threshold

    def line(self) -> str:
        goal = f"{self.name} {self.op} {fmt(self.threshold)}{self.unit}"
        if self.actual is None:
            return f"N/M   {goal}: not measured: {self.reason}"
        got = f"{fmt(self.actual)}{self.unit}"
        note = f" [{self.note}]" if self.note else ""
        if self.passed:
            return f"PASS  {goal}: {got}{note}"
        gap = abs(self.actual - self.threshold)
        rel = gap / self.threshold * 100 if self.threshold else float("inf")
        side = "below" if self.op == ">=" else "above"
        return (
            f"FAIL  {goal}: {got} - misses by {fmt(gap)}{self.unit} "
            f"({rel:.0f}% {side} the target){note}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "op": self.op,
            "threshold": self.threshold,
            "actual": self.actual,
            "unit": self.unit,
            "passed": self.passed,
            "reason": self.reason or None,
            "note": self.note or None,
        }


@dataclass
class Section:
    """One part of the benchmark (ingest, traversal, roundtrips, memory)."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    not_measured: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def skip(self, part: str, reason: str) -> None:
        self.not_measured.append((part, reason))


@dataclass
class Report:
    meta: dict[str, Any]
    sections: list[Section] = field(default_factory=list)

    @property
    def targets(self) -> list[Target]:
        return [t for s in self.sections for t in s.targets]

    def render(self) -> str:
        out = [
            f"provgraph benchmark - {self.meta['date']}",
            f"engine:  {self.meta['engine']}",
            f"machine: {self.meta['machine']}",
            f"command: {self.meta['command']}",
            f"size:    {self.meta['size']}",
            *([f"peer:    {self.meta['peer']}"] if self.meta.get("peer") else []),
            f"load:    {self.meta['load_average_start']} at start (1/5/15 min), "
            f"{self.meta.get('load_average_end', '?')} at end",
        ]
        for section in self.sections:
            for table in section.tables:
                out += ["", table.render()]
            out += section.notes
            for part, reason in section.not_measured:
                out.append(f"not measured: {section.name}/{part}: {reason}")
        out += ["", "Targets"]
        out += [t.line() for t in self.targets]
        return "\n".join(out)

    def as_json(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "sections": {
                s.name: {
                    **s.data,
                    "notes": s.notes,
                    "not_measured": [{"part": p, "reason": r} for p, r in s.not_measured],
                }
                for s in self.sections
            },
            "targets": [t.as_dict() for t in self.targets],
        }

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), indent=2) + "\n")
