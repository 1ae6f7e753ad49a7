"""The benchmarks run to the end: `python -m bench --smoke` is every benchmark of `python -m bench` at toy sizes."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.__main__ import BENCHMARKS
from bench.botproc import follow_up_id
from bot.domain.models import FollowUpKind
from bot.platforms.discord.notifier import nonce
from bot.settings import PROJECT_ROOT
from tests.platforms.discord.builders import follow_up

pytestmark = pytest.mark.e2e


def test_the_benchmarks_read_the_follow_up_id_from_the_notifiers_nonce() -> None:
    created = datetime(2026, 11, 25, 15, tzinfo=UTC)
    for number in (1, 10, 1250, 999_999):
        row = replace(follow_up(FollowUpKind.CHECK_IN), id=number, snoozes=12, created_at=created)
        assert follow_up_id(nonce(SimpleNamespace(follow_up=row))) == number  # type: ignore[arg-type]
    assert follow_up_id("3f1c0a9be2d4") is None  # a coach's note or digest: a random nonce
    assert follow_up_id(None) is None


def test_the_smoke_run_of_every_benchmark_runs_to_the_end(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--results", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr  # 1: a target missed, which a loaded machine may do
    assert "done in" in result.stdout
    document = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert list(document["benchmarks"]) == list(BENCHMARKS)
    drain = document["benchmarks"]["drain"]["details"]
    assert drain["distinct_nudges_sent"] == drain["nudges"]  # every DM matched to its follow-up by its nonce
    assert drain["statuses_after"] == {"sent": drain["nudges"]}
    for processes in ("1", "3"):  # the same backlog through one bot process and through three on PostgreSQL
        ran = document["benchmarks"]["scale_out"]["details"]["drains"][processes]
        assert (ran["shown_twice"], ran["sent_again"]) == (0, 0)
    assert [p.name for p in tmp_path.iterdir()] == ["latest.json"]  # the scratch databases are gone
