"""``--jobs``: never a pool larger than the files, none for one file or one job, same reports.

The pool's size is checked through the API with an in-process stand-in for the process
pool (so every combination of files and jobs is cheap); the command-line test in
``tests/cli/test_cli_hostile.py`` counts the real processes forked. The reports of a
parallel run are those of a serial one, on every example document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner
from epay_batches import batch_file

from lgstandards._threads import stop_helper
from lgstandards.cli import cli
from lgstandards.validation.batch import validate_paths
from lgstandards.validation.engine import make_options

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


class _InlinePool:
    """Runs each task at once in this process; records the pool's size."""

    sizes: ClassVar[list[int]] = []

    def __init__(
        self,
        max_workers: int,
        mp_context: Any = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        self.sizes.append(max_workers)
        if initializer is not None:
            initializer(*initargs)

    def submit(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(function(*args))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Nothing to stop."""


@pytest.fixture
def workers_here() -> Iterator[None]:
    """Undo, after the test, what the inline pool's worker initializer did to this process.

    It tells the process that workers share its CPUs (so no helper thread): later
    tests in the process must get their helper thread as before.
    """
    from lgstandards import _threads

    sharing = _threads._sharing
    yield
    _threads.share_cpus(sharing)
    stop_helper()  # the helper asked for meanwhile (None) is forgotten


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("jobs")
    return [str(batch_file(folder / f"b{n}.xml", 2, bad_every=2 if n % 2 else 0)) for n in range(6)]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 6])
@pytest.mark.parametrize("jobs", [1, 2, 4, 16])
@pytest.mark.usefixtures("workers_here")
def test_no_pool_is_larger_than_the_files_and_none_for_one(
    files: list[str], count: int, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    from lgstandards.validation import batch

    monkeypatch.setattr(_InlinePool, "sizes", [])
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _InlinePool)
    monkeypatch.setattr(batch, "_begun", None)
    options = make_options()
    paths = files[:count]
    serial = [r.codes() for r in validate_paths(paths, options, jobs=1)]
    assert _InlinePool.sizes == []
    parallel = [r.codes() for r in validate_paths(paths, options, jobs=jobs)]
    assert parallel == serial
    if min(jobs, count) <= 1:
        assert _InlinePool.sizes == []  # one file or one job: no pool at all
    else:
        assert _InlinePool.sizes
        assert max(_InlinePool.sizes) <= min(jobs, count)


def _documents(*args: str) -> tuple[int, list[Any]]:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)["documents"]


@pytest.mark.parametrize("family", ["epay", "ebenefits", "govtalk", "transactions"])
def test_jobs_2_gives_the_report_of_jobs_1_on_the_examples(family: str) -> None:
    one = _documents(str(EXAMPLES / family))
    two = _documents("--jobs", "2", str(EXAMPLES / family))
    assert one == two
    assert len(one[1]) > 1
