"""A throwaway PostgreSQL, for the tests and the benchmarks alike: TEST_DATABASE_URL when set, else a cluster
started from the machine's PostgreSQL binaries (initdb and pg_ctl; as root, run as the `postgres` user) on a free
port of 127.0.0.1, with durability off for speed, stopped at the end. Each user gets a fresh database copied from
a template that the real migrations built once. No pytest here: tests/postgres.py turns `Unavailable` into a skip.
"""

from __future__ import annotations

import asyncio
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.settings import PROJECT_ROOT
from bot.storage.postgres.database import PgDatabase

MIGRATIONS = PROJECT_ROOT / "migrations" / "postgres"
MISSING = (
    "PostgreSQL tests need TEST_DATABASE_URL or PostgreSQL's initdb and pg_ctl"
    " (Debian: apt-get install postgresql; ./scripts/test installs it when run as root)"
)
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"


class Unavailable(Exception):
    """No PostgreSQL to run on: neither TEST_DATABASE_URL nor the binaries (or, as root, no `postgres` user)."""


def binary(name: str) -> str | None:
    """On PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found is not None:
        return found
    versions = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    return max(versions, key=lambda p: int(re.findall(r"/(\d+)/bin/", p)[0]), default=None)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def cluster() -> Iterator[str]:
    """initdb + pg_ctl start in a temporary directory; yields the URL of its `postgres` database."""
    initdb, pg_ctl = binary("initdb"), binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise Unavailable(MISSING)
    assert initdb is not None and pg_ctl is not None
    as_postgres: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="ft-postgres-"))
    if os.geteuid() == 0:  # the server refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(workdir)
            raise Unavailable("PostgreSQL tests run as root need a `postgres` user to run the server as") from None
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, port = workdir / "data", _free_port()
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={workdir} {FAST}"
    try:
        subprocess.run(
            [*as_postgres, initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*as_postgres, pg_ctl, "-D", str(data), "-l", str(workdir / "log"), "-w", "-o", options, "start"],
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as exc:
        log = (workdir / "log").read_text() if (workdir / "log").exists() else ""
        shutil.rmtree(workdir, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr.decode()}{log}") from exc
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


class Server:
    """A PostgreSQL server the tests may create databases on, and a migrated template to copy them from."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.template = f"ft_template_{uuid.uuid4().hex[:8]}"

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(self.url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def make_template(self) -> None:
        await self._admin(f'CREATE DATABASE "{self.template}"')
        db = await PgDatabase.open(with_database(self.url, self.template))
        try:
            await db.migrate(MIGRATIONS)
        finally:
            await db.close()

    async def drop_template(self) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    @asynccontextmanager
    async def database(self, migrated: bool = True) -> AsyncIterator[str]:
        """A fresh database (a copy of the migrated template, or empty), dropped afterwards; yields its URL."""
        name = f"ft_test_{uuid.uuid4().hex[:12]}"
        await self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{self.template}"' if migrated else ""))
        try:
            yield with_database(self.url, name)
        finally:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server() -> Iterator[Server]:
    """The session's server: TEST_DATABASE_URL, else a throwaway cluster."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield from _serve(given)
    else:
        with cluster() as url:
            yield from _serve(url)


def _serve(url: str) -> Iterator[Server]:
    running = Server(url)
    _run(running.make_template())
    try:
        yield running
    finally:
        _run(running.drop_template())


def _run(work: Coroutine[Any, Any, None]) -> None:
    """On a loop of its own in a thread: the session fixture may be set up inside a test's running loop."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, work).result()
