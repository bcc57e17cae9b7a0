"""A profile file that is not one: a clear ProfileError at once, never a hang.

The exchange's profile was read whole: a FIFO without a writer blocked for ever and a link
to ``/dev/zero`` read until memory ran out (``exchange check --profile``). The same for
the key files a profile names (``signature_keys``) and ``validate --profile``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_support import within

from lgstandards.cli import cli
from lgstandards.exceptions import ProfileError
from lgstandards.validation.profile_files import read_profile

#: Address space of the process that loads a profile: reading /dev/zero must fail, not swap.
MEMORY_CAP = 1024 * 1024 * 1024
REQUEST = (
    Path(__file__).resolve().parents[2] / "examples" / "epay" / "valid" / "payment-request.xml"
)


def _bad_profiles(folder: Path) -> dict[str, tuple[Path, str]]:
    zero = folder / "zero.toml"
    zero.symlink_to("/dev/zero")
    big = folder / "big.toml"
    big.write_bytes(b"# " + b"x" * (5 * 1024 * 1024) + b"\n")
    binary = folder / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00funds")
    found = {
        "link to /dev/zero": (zero, "not a regular file"),
        "over 4 MiB": (big, "over the limit"),
        "not UTF-8": (binary, "not a valid profile file"),
        "folder": (folder, "not a regular file"),
    }
    if hasattr(os, "mkfifo"):
        fifo = folder / "fifo.toml"
        os.mkfifo(fifo)
        found["FIFO without a writer"] = (fifo, "not a regular file")
    return found


def _load_capped(path: Path) -> str:
    """Load a profile in a process of bounded memory and time; return what it printed."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))\n"
        "from lgstandards.exceptions import ProfileError\n"
        "from lgstandards.validation.profile_files import read_profile\n"
        "try:\n    read_profile(sys.argv[1])\nexcept ProfileError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_profile_that_is_not_a_small_file_is_refused(tmp_path: Path) -> None:
    for what, (path, said) in _bad_profiles(tmp_path).items():
        assert said in _load_capped(path), what
    with pytest.raises(ProfileError, match="not a regular file"):
        read_profile(tmp_path)


def test_a_key_file_that_is_not_a_small_file_is_refused(tmp_path: Path) -> None:
    for what, (path, said) in _bad_profiles(tmp_path).items():
        if said == "not a valid profile file":
            continue  # a key file is not parsed as TOML
        profile = tmp_path / f"with-key-{path.name}.toml"
        profile.write_text(
            f'signature_keys = ["{path}"]\n[funds.CT]\ndescription = "council tax"\n'
        )
        assert said in _load_capped(profile), what


@pytest.mark.parametrize("command", [["exchange", "check"], ["validate"]], ids=" ".join)
def test_the_command_line_says_so_in_one_line(command: list[str], tmp_path: Path) -> None:
    for what, (path, said) in _bad_profiles(tmp_path).items():
        if path.is_dir() or path.is_symlink():
            continue  # a folder: click refuses it itself; /dev/zero: above, with a memory cap
        with within(30):  # a FIFO read would block for ever
            result = CliRunner().invoke(cli, [*command, "--profile", str(path), str(REQUEST)])
        assert result.exit_code == 2, (what, result.output)
        assert isinstance(result.exception, SystemExit), what
        assert said in result.stderr, what
        assert "Traceback" not in result.output + result.stderr
