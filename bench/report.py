"""Figures, their targets, the printed tables and the JSON results file."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Target:
    """A figure passes when it is below `limit` (or above it, for throughputs)."""

    limit: float
    above: bool = False

    def met_by(self, value: float) -> bool:
        return value > self.limit if self.above else value < self.limit

    def __str__(self) -> str:
        return f"{'>' if self.above else '<'} {self.limit:g}"


@dataclass(frozen=True)
class Figure:
    what: str
    value: float
    unit: str
    target: Target | None = None
    missing: str = ""  # why there is no value (then NaN): not measurable in this build, which is not a failure

    @property
    def passed(self) -> bool | None:
        return None if self.target is None or self.missing else self.target.met_by(self.value)

    def row(self) -> tuple[str, str, str, str]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a" if self.missing else "info"}[self.passed]
        target = "" if self.target is None else f"{self.target} {self.unit}"
        measured = self.missing or f"{self.value:,.{_decimals(self.value)}f} {self.unit}"
        return self.what, measured, target, verdict

    def as_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "value": None if self.missing else round(self.value, 4),
            "missing": self.missing or None,
            "unit": self.unit,
            "target": None if self.target is None else str(self.target),
            "passed": self.passed,
        }


@dataclass
class Section:
    """One benchmark's figures, plus details (sizes, settings, raw samples) for the JSON file."""

    name: str
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # warnings and errors the bot logged meanwhile

    def add(self, what: str, value: float, unit: str, target: Target | None = None) -> None:
        self.figures.append(Figure(what, value, unit, target))

    def not_measured(self, what: str, why: str, unit: str, target: Target | None = None) -> None:
        """A figure this build cannot measure yet: shown as `why`, neither passed nor missed."""
        self.figures.append(Figure(what, math.nan, unit, target, missing=why))

    def print(self) -> None:
        rows = [("what", "measured", "target", "result"), *(f.row() for f in self.figures)]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        print(f"\n== {self.name}")
        for index, row in enumerate(rows):
            print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                print("  " + "  ".join("-" * width for width in widths))
        if self.problems:
            print(
                f"  ! the bot logged problems ({len(self.problems)} lines in the JSON file), first: {self.problems[0]}"
            )


def _decimals(value: float) -> int:
    magnitude = abs(value)
    if magnitude >= 100 or magnitude == int(magnitude):
        return 0
    return 1 if magnitude >= 10 else 2 if magnitude >= 0.1 else 3


def percentile(samples: list[float], pct: float) -> float:
    """The `pct` percentile (inclusive method), e.g. 99 for p99."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[round(pct) - 1]


def write_json(sections: list[Section], options: dict[str, Any], directory: Path = RESULTS_DIR) -> Path:
    path = directory / "latest.json"
    document = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": options,
        "benchmarks": {
            s.name: {"figures": [f.as_json() for f in s.figures], "details": s.details, "problems": s.problems}
            for s in sections
        },
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    return path
