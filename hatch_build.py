"""Build hook: compile the package's C parts, where they can be.

Each C file becomes a plain shared library (loaded with ctypes, no Python headers
needed) beside it: in the source tree for an editable install, and in the wheel, which
is then tagged for this platform (any Python 3). Without a C compiler (or where it
fails) the build goes on, pure Python, with a warning; the package then does the same
work in Python, more slowly, with the same results:

* ``validation/_errsink.c``: the error sink of ``lgstandards.validation.treeschema``
  (without it, libxml2's errors are kept by a Python handler);
* ``models/_xmlread.c``: the XML binding's native reader, ``lgstandards.models._native``
  (without it, models are read from the tree in Python);
* ``rules/_columns.c``: a batch's record columns for the rules, ``lgstandards.rules._columns``
  (without it, they are read from the tree in Python).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any, NamedTuple

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class Native(NamedTuple):
    """One C file and the library it is compiled into, beside it."""

    source: Path
    #: Not a name Python imports (a ".so" beside the modules would be taken for an
    #: extension module by whatever walks the package): a shared library's versioned name.
    library: Path
    #: What the package does without it (for the build's warning).
    without: str


PACKAGE = Path("src/lgstandards")
LIBRARIES = (
    Native(
        PACKAGE / "validation/_errsink.c",
        PACKAGE / "validation/liberrsink.so.1",
        "schema errors are kept by a Python handler, more slowly on invalid documents",
    ),
    Native(
        PACKAGE / "models/_xmlread.c",
        PACKAGE / "models/libxmlread.so.1",
        "models are read from XML in Python, more slowly",
    ),
    Native(
        PACKAGE / "rules/_columns.c",
        PACKAGE / "rules/libcolumns.so.1",
        "the rules read a batch's record columns in Python, more slowly",
    ),
    Native(
        PACKAGE / "validation/_tagcount.c",
        PACKAGE / "validation/libtagcount.so.1",
        "a streamed batch's start tags are counted in Python, more slowly",
    ),
)


def compiler() -> list[str] | None:
    """Return the C compiler's command: ``$CC`` (with its flags), else ``cc`` or ``gcc``."""
    named = os.environ.get("CC", "").split()
    if named:
        found = shutil.which(named[0])
        return [found, *named[1:]] if found else None
    found = shutil.which("cc") or shutil.which("gcc")
    return [found] if found else None


def build_library(root: Path, native: Native) -> tuple[Path | None, str]:
    """Compile ``native`` under ``root``: its library's path (or None), and what went wrong."""
    cc = compiler()
    if cc is None or os.name != "posix":
        return None, "no C compiler found"
    target = root / native.library
    command = [*cc, "-O2", "-shared", "-fPIC", "-o", str(target), str(root / native.source)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        target.unlink(missing_ok=True)
        return None, str(exc)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        return None, done.stderr.strip() or f"{cc[0]} exited with {done.returncode}"
    return target, ""


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the C parts for wheels (standard and editable)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build the libraries; a standard wheel includes them and gets this platform's tag."""
        if self.target_name != "wheel":
            return
        for native in LIBRARIES:
            built, problem = build_library(Path(self.root), native)
            if built is None:
                self.app.display_warning(
                    f"lgstandards: {native.source.name} was not compiled ({problem}); "
                    f"the package works without it: {native.without}"
                )
                continue
            if version == "editable":  # the source tree is on the path: the library is there
                continue
            # any Python 3, this platform: the libraries hold no Python C API
            platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
            build_data["pure_python"] = False
            build_data["tag"] = f"py3-none-{platform}"
            build_data["force_include"][str(built)] = str(native.library.relative_to("src"))
