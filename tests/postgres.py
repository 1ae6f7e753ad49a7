"""The PostgreSQL of the tests (tests/pg_cluster.py, shared with the benchmarks): TEST_DATABASE_URL when set, else
a throwaway cluster from the machine's PostgreSQL binaries, stopped at the end of the session.

Without either, the PostgreSQL tests skip with one line; under CI=true that is a failure instead, so CI always
runs them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from tests.pg_cluster import MISSING, Server, Unavailable, binary
from tests.pg_cluster import server as cluster_server

__all__ = ["MISSING", "Server", "available", "needs_postgres", "server", "unavailable", "under_ci"]


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def available() -> bool:
    return bool(os.environ.get("TEST_DATABASE_URL")) or (binary("initdb") is not None and binary("pg_ctl") is not None)


def needs_postgres(item: pytest.Item) -> bool:
    """A test that runs on PostgreSQL: it asks for the server, or is the PostgreSQL run of a contract test."""
    callspec = getattr(item, "callspec", None)
    on_postgres = callspec is not None and callspec.params.get("backend") == "postgres"
    return on_postgres or "postgres_server" in getattr(item, "fixturenames", ())


def unavailable(reason: str) -> None:
    """Skip the test, or fail it under CI, where the PostgreSQL tests must always run."""
    if under_ci():
        pytest.fail(f"{reason} (CI=true: PostgreSQL tests may not skip)", pytrace=False)
    pytest.skip(reason)


@contextmanager
def server() -> Iterator[Server]:
    """The session's server; skips (fails under CI=true) when there is none."""
    with ExitStack() as stack:
        try:
            running = stack.enter_context(cluster_server())
        except Unavailable as exc:
            unavailable(str(exc))
        yield running
