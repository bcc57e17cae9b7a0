"""A throw-away PostgreSQL cluster from Debian's binaries, for tests and benchmarks.

``Cluster.start()`` finds ``/usr/lib/postgresql/*/bin/initdb`` (the newest), makes a
cluster in a fresh temporary folder, starts it on 127.0.0.1 at a free port (and a
Unix socket in that folder) and ``stop()`` removes it. PostgreSQL refuses to run as
root: as root the binaries run as the ``postgres`` user Debian's package creates (or
``nobody``), through ``runuser``, with the folder given to that user.

A test run killed before ``stop()`` leaves its server running. Each cluster's folder
records the process that started it (``owner.pid``), and ``start()`` first stops and
removes every cluster whose owner has gone (:func:`reap_orphans`).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

#: Set to 1 to skip (rather than fail) the PostgreSQL tests on a machine without it.
OPT_OUT = "LGSTANDARDS_SKIP_POSTGRESQL"
PACKAGE = "postgresql"
#: The prefix of the clusters' folders in the temporary directory.
PREFIX = "lgs-pg-"
#: The file in a cluster's folder that names the process that started it.
OWNER = "owner.pid"


class ClusterUnavailable(RuntimeError):
    """Debian's PostgreSQL binaries are not installed."""


def find_bin() -> Path:
    """Return the newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and pg_ctl."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name.split(".")],
    )
    found = [p for p in found if (p / "pg_ctl").is_file()]
    if not found:
        raise ClusterUnavailable(
            f"PostgreSQL's server binaries are not installed (no /usr/lib/postgresql/*/bin/"
            f"initdb): install Debian's '{PACKAGE}' package (apt-get install {PACKAGE}), or set "
            f"{OPT_OUT}=1 to skip these tests"
        )
    return found[-1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans(bin_dir: Path | None = None) -> list[Path]:
    """Stop and remove the clusters whose starting process has gone; return their folders."""
    reaped = []
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((folder / OWNER).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        data = folder / "data"
        if bin_dir is not None and (data / "postmaster.pid").exists():
            command = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
            if os.geteuid() == 0 and data.stat().st_uid != 0:
                command = [
                    "runuser",
                    "-u",
                    pwd.getpwuid(data.stat().st_uid).pw_name,
                    "--",
                    *command,
                ]
            subprocess.run(command, capture_output=True, check=False, cwd="/")
        shutil.rmtree(folder, ignore_errors=True)
        reaped.append(folder)
    return reaped


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A running throw-away cluster; ``url(db)`` gives a database's SQLAlchemy URL."""

    bin: Path
    folder: Path
    port: int
    user: str | None
    durable: bool = False
    databases: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, *, durable: bool = False) -> Cluster:
        """Make and start a cluster; ``durable`` keeps fsync on (benchmarks)."""
        binaries = find_bin()
        reap_orphans(binaries)
        folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        (folder / OWNER).write_text(str(os.getpid()), encoding="ascii")
        user = None
        if os.geteuid() == 0:
            user = "postgres"
            try:
                pwd.getpwnam(user)
            except KeyError:
                user = "nobody"
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        cluster = cls(binaries, folder, _free_port(), user, durable)
        try:
            cluster._run(
                "initdb",
                "-D",
                str(folder / "data"),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            )
            options = (
                f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {folder} "
                "-c max_connections=60 -c shared_buffers=32MB"
            )
            if not durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            cluster._run(
                "pg_ctl",
                "-D",
                str(folder / "data"),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "-t",
                "60",
                "start",
            )
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")
        if done.returncode != 0:
            log = self.folder / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}{tail}")

    def url(self, database: str = "postgres") -> str:
        """Return the ``postgresql://`` URL of ``database`` (TCP on 127.0.0.1)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "ledger") -> str:
        """Create an empty database; return its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            self.url().replace("postgresql://", "postgresql://", 1), autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        self.databases.append(name)
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        if (self.folder / "data" / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
