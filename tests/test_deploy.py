"""What a Procfile platform (Heroku, Railway, Render, Dokku) needs to build and start the bot."""

from __future__ import annotations

import tomllib

from bot.settings import PROJECT_ROOT


def test_the_procfile_starts_one_worker_with_python_m_bot() -> None:
    assert (PROJECT_ROOT / "Procfile").read_text().splitlines() == ["worker: python -m bot"]


def test_the_scaled_procfile_gives_each_shard_to_one_process_and_shard_0_to_exactly_one() -> None:
    """Procfile.scaled, the README's example of several processes: each runs python -m bot with its SHARD_IDS."""
    held: list[int] = []
    for line in (PROJECT_ROOT / "Procfile.scaled").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, command = line.split(": ", 1)
        shard_ids, start = command.split(" ", 1)
        assert name.isidentifier() and start == "python -m bot" and shard_ids.startswith("SHARD_IDS=")
        held += [int(i) for i in shard_ids.removeprefix("SHARD_IDS=").split(",") if i]
    assert sorted(held) == list(range(len(held))) and held.count(0) == 1


def test_requirements_install_this_project_so_its_dependencies_come_from_pyproject() -> None:
    lines = [line for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines() if line.strip()]
    assert lines == ["-e ."]  # editable: the code and migrations/ are the checkout's, wherever it is imported from


def test_the_python_version_file_satisfies_requires_python() -> None:
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    minimum = pyproject["project"]["requires-python"].removeprefix(">=")
    pinned = (PROJECT_ROOT / ".python-version").read_text().strip()
    assert tuple(map(int, pinned.split("."))) >= tuple(map(int, minimum.split(".")))
