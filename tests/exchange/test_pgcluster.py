"""The throw-away PostgreSQL clusters of the tests: a killed run leaves no server behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from pgcluster import OPT_OUT, OWNER, PREFIX, ClusterUnavailable, find_bin, reap_orphans

HERE = Path(__file__).resolve().parent

STARTER = r"""
import sys
sys.path.insert(0, sys.argv[1])
from pgcluster import Cluster
cluster = Cluster.start()
print(cluster.folder, flush=True)
sys.stdin.read()
"""


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def _folder(owner: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    (folder / OWNER).write_text(str(owner), encoding="ascii")
    return folder


def test_folders_of_gone_owners_are_removed_and_live_ones_kept() -> None:
    gone, mine = _folder(_dead_pid()), _folder(os.getpid())
    unowned = Path(tempfile.mkdtemp(prefix=PREFIX))
    try:
        reaped = reap_orphans()
        assert gone in reaped
        assert not gone.exists()
        assert mine.exists()
        assert unowned.exists()
    finally:
        for folder in (gone, mine, unowned):
            if folder.exists():
                for child in folder.iterdir():
                    child.unlink()
                folder.rmdir()


def _postmaster_running(folder: Path) -> bool:
    pid_file = folder / "data" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_runs_server_is_stopped_by_the_next_start() -> None:
    try:
        bin_dir = find_bin()
    except ClusterUnavailable as exc:
        if os.environ.get(OPT_OUT) == "1":
            pytest.skip(str(exc))
        pytest.fail(str(exc), pytrace=False)
    with subprocess.Popen(
        [sys.executable, "-c", STARTER, str(HERE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as starter:
        assert starter.stdout is not None
        folder = Path(starter.stdout.readline().strip())
        assert _postmaster_running(folder)
        starter.send_signal(signal.SIGKILL)
        starter.wait()
    assert _postmaster_running(folder)  # what a killed pytest leaves behind
    assert folder in reap_orphans(bin_dir)
    deadline = time.monotonic() + 30
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not folder.exists()
