"""Debian's Chromium for the tests that render pages in a real browser (Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

#: Headless, sandbox-free (CI runs as root) and quiet: no update or background requests.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_binary() -> str | None:
    """Return the Chromium executable (``apt-get install chromium``), or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
