"""Content is the words of the core: it reads domain values and nothing of use cases, ports or platforms."""

from __future__ import annotations

from bot.settings import PROJECT_ROOT
from tests.test_layering import imported_modules


def test_content_imports_only_the_domain_and_itself() -> None:
    offenders = {}
    for path in sorted((PROJECT_ROOT / "bot/content").rglob("*.py")):
        ours = {m for m in imported_modules(path) if m == "bot" or m.startswith("bot.")}
        outside = sorted(m for m in ours if not m.startswith(("bot.domain", "bot.content")))
        if outside:
            offenders[path.name] = outside
    assert offenders == {}
