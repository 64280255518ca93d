"""A throwaway PostgreSQL cluster for the tests (or the server named by LEDGER_TEST_POSTGRES_URL).

:func:`start_cluster` runs ``initdb`` into a fresh folder under the system temp folder and starts
the server listening only on a unix socket in that folder (no TCP port, so two test runs on one
machine never collide), with fsync off (a test database need not survive a power cut). As root
it runs the server as the ``postgres`` user (PostgreSQL refuses to run as root). ``initdb`` is
looked for on PATH and under /usr/lib/postgresql/*/bin (Debian's place).

Each test gets a database of its own: ``CREATE DATABASE … TEMPLATE`` a database migrated once
per session, which copies the migrated schema in a few milliseconds instead of running the
ladder for every test.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

TEMPLATE = "ledger_test_template"
_numbers = itertools.count(1)


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return candidates[-1] if candidates else None


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@dataclass
class PostgresServer:
    """Where to connect (``url`` names the maintenance database ``postgres``), and how to stop."""

    url: str
    folder: Path | None = None  # our own cluster's folder; None for an existing server
    pg_ctl: str | None = None
    databases: list[str] = field(default_factory=list)

    def url_for(self, dbname: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{dbname}"))

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)

    def make_template(self, migrate_into) -> None:  # noqa: ANN001 - a callable taking a URL
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
        migrate_into(self.url_for(TEMPLATE))

    def fresh_database(self) -> str:
        name = f"ledger_test_{os.getpid()}_{next(_numbers)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
        self.databases.append(name)
        return self.url_for(name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.databases:
            self.databases.remove(name)

    def stop(self) -> None:
        if self.folder is None:
            with self.admin() as conn:  # an existing server: leave it as found
                for name in [*self.databases, TEMPLATE]:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        subprocess.run(_as_server_user([self.pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate",
                                        "stop"]), capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


class ClusterUnavailable(RuntimeError):
    pass


def start_cluster() -> PostgresServer:
    """Our own cluster, started; ClusterUnavailable (saying why) when it cannot be."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise ClusterUnavailable("initdb not found (apt-get install postgresql)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        raise ClusterUnavailable("running as root without runuser to start the server as postgres")
    folder = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
    if os.geteuid() == 0:
        try:
            shutil.chown(folder, user="postgres")
        except (LookupError, OSError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise ClusterUnavailable(f"no postgres user to run the server as: {exc}") from exc
    data = folder / "data"
    steps = (
        [initdb, "-D", str(data), "-U", "ledger", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
         "--no-sync"],
        [pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "-o",
         f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
         " -c full_page_writes=off -c max_connections=200", "start"],
    )
    for argv in steps:
        done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise ClusterUnavailable(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}\n{tail}")
    url = f"postgresql://ledger@{quote(str(folder), safe='')}/postgres"
    return PostgresServer(url=url, folder=folder, pg_ctl=pg_ctl)


def existing_server(url: str) -> PostgresServer:
    """The server named by LEDGER_TEST_POSTGRES_URL (a role that may CREATE DATABASE)."""
    server = PostgresServer(url=url)
    with server.admin():
        pass
    return server
