"""Sphinx configuration of the lgstandards documentation.

Build:   python -m sphinx -W -n -b html docs docs/_build/html
Doctest: python -m sphinx -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The package is installed (editable) in the project's virtual environment; this makes a
# plain checkout work too.
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import lgstandards  # noqa: E402

project = "lgstandards"
author = "lgstandards developers"
copyright = "lgstandards developers; data © the publishers named in Provenance and licence"
release = lgstandards.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "myst_parser",
    "sphinx_click",
    "lgstandards.sphinxext",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_tools", "Thumbs.db", ".DS_Store", "README.md"]
language = "en"
# No "smart" typography: docutils would turn ``--format`` in prose (the CLI's help text,
# docstrings) into an en dash and straight quotes into curly ones, so that commands and
# values copied from the page no longer work. Text is shown as written.
smartquotes = False

# -- HTML -------------------------------------------------------------------------
html_theme = "furo"
html_title = f"lgstandards {release}"
html_static_path = ["_static"]
html_css_files = ["lgstandards.css"]
html_show_sourcelink = False
# Object descriptions (API members) stay out of the page tables of contents: with them
# every page's navigation tree copies thousands of entries and the build is 3x slower.
toc_object_entries = False

# -- MyST -------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

# -- autodoc ----------------------------------------------------------------------
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_class_signature = "separated"
# Each name is documented in the module that defines it (``ignore-module-all``): packages
# that re-export names from their sub-modules do not document them a second time.
autodoc_default_options = {
    "members": True,
    "undoc-members": True,
    "show-inheritance": True,
    "ignore-module-all": True,
}
autodoc_preserve_defaults = True
# The testing helpers import pytest and Hypothesis (the ``testing`` extra), the service
# Starlette and AnyIO (the ``service`` extra); the ``docs`` extra alone builds the site,
# with whichever of them is not installed mocked.
autodoc_mock_imports = [
    m for m in ("pytest", "hypothesis", "starlette", "anyio") if importlib.util.find_spec(m) is None
]

# -- doctest ----------------------------------------------------------------------
doctest_global_setup = """
import lgstandards
import lgstandards.vocab as _vocab

# autodoc has imported the list modules (lgstandards.vocab.lgsl ...), and Python then
# binds the package attribute of the same name to the module; drop those bindings so
# that ``from lgstandards.vocab import lgsl`` gives the list, as in a fresh process.
for _name in _vocab.LIST_NAMES:
    if type(_vocab.__dict__.get(_name)).__name__ == "module":
        del _vocab.__dict__[_name]
"""

# -- nitpicky references ----------------------------------------------------------
# No intersphinx (the build runs offline), so references to other projects' classes
# cannot resolve. Each entry says why it is ignored; keep the list short.
nitpicky = True
# The builtin ``type`` in ``type[...]`` hints is looked up fuzzily and also matches model
# fields called ``type`` (``govtalk.Key.type``); Sphinx then warns "more than one target
# found". Only that ambiguity warning of the Python domain is silenced.
suppress_warnings = ["ref.python"]
nitpick_ignore_regex = [
    # The standard library: Path, Mapping, datetime.date, Enum ... in type hints.
    (
        r"py:.*",
        r"(pathlib|collections\.abc|typing|types|datetime|dt|enum|re|io|os|threading|"
        r"decimal|functools|dataclasses|importlib\.abc|concurrent\.futures)\..*",
    ),
    (
        r"py:.*",
        r"(Path|Mapping|MappingProxyType|Iterator|Iterable|Callable|Sequence|"
        r"Decimal|TextIO|BinaryIO|IO|PathLike|Pattern|date|datetime|StrEnum|Enum|Literal)",
    ),
    # Third-party libraries the API takes or returns: lxml, pydantic, click, rdflib,
    # pyoxigraph, pyshacl, xmlschema, docutils and Sphinx (for the extension), and those
    # of the validation service (Starlette, AnyIO, Jinja2, uvicorn).
    (
        r"py:.*",
        r"(lxml|pydantic|pydantic_core|click|rdflib|pyoxigraph|pyshacl|xmlschema|"
        r"docutils|sphinx|rich|hypothesis|pytest|_pytest|sqlalchemy|psycopg|starlette|anyio|"
        r"jinja2|uvicorn)(\..*)?",
    ),
    (
        r"py:.*",
        r"(etree|core_schema|BaseModel|GetCoreSchemaHandler|GetJsonSchemaHandler|"
        r"JsonSchemaValue|CoreSchema|ConfigDict|ValidationInfo|Graph|Store|ObjType)(\..*)?",
    ),
    # Standard-library modules named in docstrings.
    (r"py:mod", r"(csv|tomllib|json|sqlite3|multiprocessing|hashlib)"),
    # Private helpers and bases (``_ListCode``, ``models._xml.XmlModel``) are not documented.
    (r"py:.*", r"(lgstandards\.)?([A-Za-z0-9_]+\.)*_[A-Za-z]\w*(\..*)?"),
    # Functions made inside other functions (validators in ``Annotated`` metadata).
    (r"py:.*", r".*<locals>.*|locals>.*"),
    # Type variables of the generic classes are not documented objects.
    (r"py:.*", r"(C|D|T|M|K|V)"),
    # Type-checking-only aliases shown by autodoc as written.
    (r"py:.*", r"(Any|Self|_Index|Element|Node)"),
]


def _resolve_short_names(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve names that autodoc leaves bare, or show them as plain text.

    Annotations that name a class imported only under ``TYPE_CHECKING`` reach Sphinx as
    the bare name (``Function``): this links them to the one documented object of that
    name. Names that exist in the referring module but have no page of their own (type
    aliases such as ``ShortText``, constants without a doc comment) render as plain
    text; anything else (a typo, a removed name) stays a warning.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    short = target.rpartition(".")[2]
    if not short:
        return None
    domain = env.get_domain("py")
    canonical = _canonical_name(target)
    if canonical is not None and canonical in domain.objects:
        # A re-exported name (``lgstandards.vocab.LGSLCode``): link to where it is defined.
        from sphinx.util.nodes import make_refnode

        obj = domain.objects[canonical]
        return make_refnode(
            app.builder, node["refdoc"], obj.docname, obj.node_id, contnode, canonical
        )
    if not short.startswith("_"):
        matches = sorted(
            {
                name
                for name, obj in domain.objects.items()
                if name.rpartition(".")[2] == short and not obj.aliased
            }
        )
        if len(matches) == 1:
            from sphinx.util.nodes import make_refnode

            obj = domain.objects[matches[0]]
            return make_refnode(
                app.builder, node["refdoc"], obj.docname, obj.node_id, contnode, matches[0]
            )
    modname = node.get("py:module") or ""
    if "." in target or not modname.startswith("lgstandards"):
        return None
    import importlib

    try:  # imported here too: with -j N the modules were imported by the readers
        module = importlib.import_module(modname)
    except ImportError:
        return None
    return contnode if hasattr(module, target) else None


def _canonical_name(target: str) -> str | None:
    """Return ``module.qualname`` of the object a dotted path names, if it imports."""
    import importlib

    module_name, _, attribute = target.rpartition(".")
    if not module_name.startswith("lgstandards"):
        return None
    try:
        value = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return None
    module = getattr(value, "__module__", None)
    qualname = getattr(value, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    return f"{module}.{qualname}"


#: Pages written by other parts of the project that join the toctree when they exist.
OPTIONAL_PAGES = {"validation": "validation", "publishing": "publishing"}


def _optional_toctree(app: Any, docname: str, source: list[str]) -> None:
    """Fill the ``OPTIONAL-PAGES`` placeholder of the index with the pages present."""
    if docname != "index":
        return
    for page in OPTIONAL_PAGES.values():  # re-read the index when one appears or goes
        app.env.note_dependency(str(HERE / f"{page}.md"))
    present = [page for page in OPTIONAL_PAGES.values() if (HERE / f"{page}.md").is_file()]
    source[0] = source[0].replace("OPTIONAL-PAGES\n", "".join(f"{p}\n" for p in present))


def _escape_annotated_aliases() -> None:
    """Show ``Annotated`` type aliases as ``str`` plus their constraints, as code.

    autodoc writes "alias of Annotated[str, StringConstraints(pattern=...)]" as
    reStructuredText without escaping the metadata, so a regular expression such as
    ``[A-Za-z0-9_]`` becomes a broken link target. The metadata is shown as inline code.
    """
    import typing

    try:  # Sphinx 9 renders "alias of" here; earlier versions elsewhere
        from sphinx.ext.autodoc import _generate
    except ImportError:
        return

    original = getattr(_generate, "restify", None)
    if original is None or getattr(original, "_lgstandards", False):
        return

    def restify(obj: Any, *args: Any, **kwargs: Any) -> str:
        if typing.get_origin(obj) is typing.Annotated:
            base = original(obj.__origin__, *args, **kwargs)
            meta = ", ".join(repr(m) for m in obj.__metadata__).replace("`", "'")
            return f"{base} (``{meta}``)"
        text: str = original(obj, *args, **kwargs)
        return text

    restify._lgstandards = True  # type: ignore[attr-defined]
    _generate.restify = restify  # type: ignore[attr-defined]


def _restore_class_annotations(app: Any, env: Any) -> None:
    """Drop the class annotations autodoc added from source that do not evaluate.

    While reading, autodoc copies the annotations it finds in the source of every module
    in a documented class's MRO into the live classes' ``__annotations__``, including
    ``TYPE_CHECKING``-only ones (pydantic's ``BaseModel.__private_attributes__``). The
    doctests then run in the same process, where ``typing.get_type_hints`` on a model
    fails on them. Annotations that cannot be evaluated are removed before the tests.
    """
    if app.builder.name != "doctest":
        return
    import inspect
    import types

    try:  # Sphinx 9's autodoc; older versions keep no such record
        from sphinx.ext.autodoc._dynamic import _type_comments
    except ImportError:
        return

    touched = [
        m
        for m in list(_type_comments._objects_with_type_comment_annotations)
        if isinstance(m, types.ModuleType)
    ]
    for module in touched:
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            annotations = cls.__dict__.get("__annotations__")  # noqa: RUF063 - edited in place
            if not isinstance(annotations, dict):
                continue
            for name, value in list(annotations.items()):
                if not isinstance(value, str):
                    continue
                try:
                    eval(value, vars(module), dict(vars(cls)))
                except Exception:  # any failure here is a failure of get_type_hints too
                    del annotations[name]


def _list_lazy_commands() -> None:
    """Make sphinx-click list every sub-command of a group, lazy ones included.

    sphinx-click reads ``group.commands`` and asks ``list_commands()`` only when that is
    empty; the ``lgstandards`` groups load some sub-commands on first use (so that the
    CLI starts fast), and those would be missing from the reference.
    """
    import click
    from sphinx_click import ext

    original = ext._filter_commands
    if getattr(original, "_lgstandards", False):
        return

    def filter_commands(ctx: click.Context, commands: list[str] | None = None) -> list[Any]:
        group = ctx.command
        if not isinstance(group, click.Group):
            return original(ctx, commands)  # type: ignore[no-any-return]
        lookup = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
        found = {name: cmd for name, cmd in lookup.items() if cmd is not None}
        if commands is None:
            return sorted(found.values(), key=lambda item: item.name or "")
        return [found[name] for name in commands if name in found]

    filter_commands._lgstandards = True  # type: ignore[attr-defined]
    ext._filter_commands = filter_commands


#: A line of a command's help that gives an example command: ``Example: lgstandards ...``.
_EXAMPLE = re.compile(r"^(\s*)Examples?:\s+(\S.*)$")


def _examples_as_code(app: Any, ctx: Any, lines: list[str]) -> None:
    """Show the ``Example: ...`` lines of the CLI's help as shell code blocks.

    The help is written for the terminal and read by sphinx-click as reStructuredText,
    where the command would be prose: here it becomes a code block, copied as written.
    """
    out: list[str] = []
    for line in lines:
        found = _EXAMPLE.match(line)
        if found is None:
            out.append(line)
            continue
        indent, command = found.groups()
        out += [f"{indent}Example:", "", f"{indent}.. code-block:: shell", ""]
        out += [f"{indent}   {command}", ""]
    lines[:] = out


def setup(app: Any) -> None:
    """Hook the short-name resolver and the optional pages into the build."""
    _escape_annotated_aliases()
    _list_lazy_commands()
    app.connect("sphinx-click-process-description", _examples_as_code)
    app.connect("env-updated", _restore_class_annotations)
    app.connect("missing-reference", _resolve_short_names)
    app.connect("source-read", _optional_toctree)
