"""An exchange profile file that is not one: a clear ProfileError at once, never a hang.

``Profile.load`` read the path whole: a FIFO without a writer blocked for ever and a link
to ``/dev/zero`` read until memory ran out (``exchange check --profile``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgstandards.cli import cli
from lgstandards.exceptions import ProfileError
from lgstandards.exchange.profile import Profile

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


def test_a_profile_that_is_not_a_small_file_is_refused(tmp_path: Path) -> None:
    for what, (path, said) in _bad_profiles(tmp_path).items():
        started = time.monotonic()
        with pytest.raises(ProfileError, match=said):
            Profile.load(path)
        assert time.monotonic() - started < 10, what


def test_the_command_line_says_so_in_one_line(tmp_path: Path) -> None:
    for what, (path, said) in _bad_profiles(tmp_path).items():
        if path.is_dir():
            continue  # click refuses a folder for --profile itself
        result = CliRunner().invoke(
            cli, ["exchange", "check", "--profile", str(path), str(REQUEST)]
        )
        assert result.exit_code == 2, (what, result.output)
        assert isinstance(result.exception, SystemExit), what
        assert said in result.stderr, what
        assert "Traceback" not in result.output + result.stderr
