"""Build hook: compile the C error sink of lgstandards.validation.treeschema, if it can be.

``src/lgstandards/validation/_errsink.c`` becomes a plain shared library (loaded with
ctypes, no Python headers needed) beside it: in the source tree for an editable
install, and in the wheel, which is then tagged for this platform (any Python 3). Without a C
compiler (or where it fails) the build goes on, pure Python, with a warning: the
package then keeps libxml2's errors with a Python handler (slower on invalid
documents, the same report).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src/lgstandards/validation/_errsink.c")
#: Not a name Python imports (a ".so" beside the modules would be taken for an extension
#: module by whatever walks the package): a shared library's versioned name.
LIBRARY = SOURCE.with_name("liberrsink.so.1")


def compiler() -> list[str] | None:
    """Return the C compiler's command: ``$CC`` (with its flags), else ``cc`` or ``gcc``."""
    named = os.environ.get("CC", "").split()
    if named:
        found = shutil.which(named[0])
        return [found, *named[1:]] if found else None
    found = shutil.which("cc") or shutil.which("gcc")
    return [found] if found else None


def build_library(root: Path) -> tuple[Path | None, str]:
    """Compile the sink under ``root``; return its path (or None) and what went wrong."""
    cc = compiler()
    if cc is None or os.name != "posix":
        return None, "no C compiler found"
    target = root / LIBRARY
    command = [*cc, "-O2", "-shared", "-fPIC", "-o", str(target), str(root / SOURCE)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        return None, done.stderr.strip() or f"{cc[0]} exited with {done.returncode}"
    return target, ""


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the sink for wheels (standard and editable)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build the library; a standard wheel includes it and gets this platform's tag."""
        if self.target_name != "wheel":
            return
        built, problem = build_library(Path(self.root))
        if built is None:
            self.app.display_warning(
                f"lgstandards: the C error sink was not built ({problem}); "
                "the package works without it, more slowly on invalid documents"
            )
            return
        if version == "editable":  # the source tree is on the path: the library is there
            return
        # any Python 3, this platform: the library holds no Python C API
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{platform}"
        build_data["force_include"][str(built)] = f"lgstandards/validation/{LIBRARY.name}"
