"""The numbered NNNN_name.sql migrations, one folder per backend (migrations/sqlite, migrations/postgres) with
the same numbers and names, so both backends' schemas move in step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(ValueError):
    """The migrations directory is missing or empty, a file is misnamed or numbered twice, or a migration failed."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path) -> list[Migration]:
    """The numbered migrations in order. A missing or empty directory is an error, not "nothing to do": the
    schema the code needs would silently not be there."""
    if not directory.is_dir():
        raise MigrationError(f"no such directory: {directory.resolve()}")
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"migration file {path.name} is not named NNNN_name.sql")
        migrations.append(Migration(int(match.group(1)), path.stem, path.read_text(encoding="utf-8")))
    if not migrations:
        raise MigrationError(f"no NNNN_name.sql migrations in {directory.resolve()}")
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a number in {directory}")
    return migrations
