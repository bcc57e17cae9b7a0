"""Write the API reference pages: one page per public module, and the index.

Run from the repository root after adding a module: ``python docs/_tools/api_pages.py``.
Existing pages are kept (some are written by hand); pages of modules that no longer
exist are removed. ``tests/docs`` fails when a public module has no page.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

import lgstandards

API = Path(__file__).resolve().parents[1] / "api"

#: Index sections by sub-package (top-level modules go under "Core").
GROUPS = {
    "": "Core",
    "artefacts": "Artefacts",
    "vocab": "Vocabularies",
    "models": "Message models",
    "rules": "Business rules",
    "validation": "Validation",
    "conformance": "Conformance kit",
    "publish": "Publishing",
    "testing": "Testing helpers",
    "pytest_plugin": "Testing helpers",
    "sphinxext": "Sphinx extension",
}


def public_modules() -> list[str]:
    """Return every public module of the package (not private, not the CLI), sorted."""
    found = ["lgstandards"]
    for info in pkgutil.walk_packages(lgstandards.__path__, "lgstandards."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or parts[0] == "cli":
            continue
        found.append(info.name)
    return sorted(found)


def group_of(module: str) -> str:
    """Return the index section of a module."""
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] not in GROUPS):
        return GROUPS[""]
    return GROUPS.get(parts[1], GROUPS[""])


def main() -> None:
    """Write missing pages, remove stale ones, rewrite the index."""
    modules = public_modules()
    for module in modules:
        page = API / f"{module}.rst"
        if not page.exists():
            title = f"``{module}``"
            page.write_text(f"{title}\n{'=' * len(title)}\n\n.. automodule:: {module}\n")
    for page in API.glob("lgstandards*.rst"):
        if page.stem not in modules:
            page.unlink()
    lines = [
        "# Python API",
        "",
        "One page per public module, generated from the docstrings and type hints. The",
        "packages re-export their most used names; each name is documented where it is",
        "defined.",
        "",
    ]
    seen: list[str] = []
    for title in GROUPS.values():
        if title in seen:
            continue
        seen.append(title)
        members = [m for m in modules if group_of(m) == title]
        if members:
            lines += ["```{toctree}", f":caption: {title}", ":maxdepth: 1", "", *members, "```", ""]
    (API / "index.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
