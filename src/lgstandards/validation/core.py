"""What the validation engines share: options, run state, refused input, kinds.

The router and whole-document engine (:mod:`.engine`), the streaming engine
(:mod:`.stream`), the RDF engine (:mod:`.rdf`) and the envelope layer (:mod:`.govtalk`)
import this module and never each other. The whole-document checks a streaming run
needs (a batch with no records) are passed to it as a :class:`CheckTree`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from lgstandards._records import FACTORY, Compared, written_out
from lgstandards.artefacts.kinds import RDF_KIND, KindSpec
from lgstandards.report import Issue, Severity
from lgstandards.safexml import DEFAULT_LIMITS, Limits, XMLInputError
from lgstandards.validation.profile import Profile, current_profile

if TYPE_CHECKING:
    from lxml import etree

#: The checks that can be chosen; all run by default.
ALL_CHECKS = frozenset({"xsd", "rules", "vocab"})


class State:
    """What a run learns about a document besides its issues.

    ``kind``: its kind; ``tree``: the parsed document, when it was parsed whole as XML
    (not streamed, not RDF), for a caller that reads it further (an exchange).
    (A plain class: a dataclass costs start-up more than the one instance a run makes.)
    """

    __slots__ = ("kind", "tree")

    def __init__(self, kind: str | None = None, tree: etree._ElementTree | None = None) -> None:
        self.kind = kind
        self.tree = tree

    def __repr__(self) -> str:
        return f"State(kind={self.kind!r}, tree={self.tree!r})"


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class Options(Compared):
    """How one document is validated (``profile``: the deployment's data, see :mod:`.profile`)."""

    kind: str | None = None
    lang: str = "en"
    as_of: dt.date | None = None
    streaming: bool | None = None
    limits: Limits = DEFAULT_LIMITS
    checks: frozenset[str] = field(default=ALL_CHECKS)
    profile: Profile = field(default_factory=current_profile)

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        kind: str | None = None,
        lang: str = "en",
        as_of: dt.date | None = None,
        streaming: bool | None = None,
        limits: Limits = DEFAULT_LIMITS,
        checks: frozenset[str] = ALL_CHECKS,
        profile: Profile = FACTORY,
    ) -> None:
        put = object.__setattr__
        put(self, "kind", kind)
        put(self, "lang", lang)
        put(self, "as_of", as_of)
        put(self, "streaming", streaming)
        put(self, "limits", limits)
        put(self, "checks", checks)
        put(self, "profile", current_profile() if profile is FACTORY else profile)


def is_within(element: etree._Element, ancestor: etree._Element) -> bool:
    """Tell whether ``element`` is ``ancestor`` or inside it."""
    current: etree._Element | None = element
    while current is not None:
        if current is ancestor:
            return True
        current = current.getparent()
    return False


def split_tag(tag: object) -> tuple[str, str]:
    """Return (namespace, local name) of an element tag in Clark notation."""
    if not isinstance(tag, str):
        return "", ""
    if not tag.startswith("{"):
        return "", tag
    namespace, _, local = tag[1:].partition("}")
    return namespace, local


def make_options(
    *,
    kind: str | None = None,
    lang: str = "en",
    as_of: dt.date | str | None = None,
    streaming: bool | None = None,
    limits: Limits | None = None,
    checks: Collection[str] | None = None,
    profile: Profile | None = None,
) -> Options:
    """Check the keyword arguments of the public functions and build :class:`Options`.

    ``profile`` None: the current default (:func:`~.profile.using_profile`).
    """
    if lang not in ("en", "cy"):
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    chosen = ALL_CHECKS if checks is None else frozenset(checks)
    unknown = chosen - ALL_CHECKS
    if unknown:
        raise ValueError(f"unknown checks {sorted(unknown)}; choose from {sorted(ALL_CHECKS)}")
    profile = profile or current_profile()
    if kind is not None and kind != RDF_KIND and profile.spec_for_kind(kind) is None:
        from lgstandards.exceptions import SchemaNotFoundError

        raise SchemaNotFoundError(f"no document kind named {kind!r}")
    return Options(kind, lang, as_of, streaming, limits or DEFAULT_LIMITS, chosen, profile)


def input_issue(exc: XMLInputError, name: str | None = None) -> Issue:
    """Turn a refused input into its one issue (Welsh text from the code registry)."""
    from lgstandards.codes import registry

    entry = registry().get(exc.code)
    return Issue(
        exc.code,
        entry.severity if entry else Severity.ERROR,
        exc.message,
        entry.description_cy if entry else None,
        source=exc.source or name,
        line=exc.line,
        column=exc.column,
    )


def detect(root: etree._Element, options: Options) -> KindSpec | None:
    """Return the kind of a parsed document (forced by ``options.kind`` when given)."""
    if options.kind is not None:
        return options.profile.spec_for_kind(options.kind)
    return options.profile.spec_for_root(*split_tag(root.tag))


def unknown_kind(
    root: etree._Element, *, source: str | None, profile: Profile | None = None
) -> Issue:
    """Return the issue for a root element no kind claims, naming the nearest known roots."""
    tag = root.tag if isinstance(root.tag, str) else "?"
    near = near_roots(tag, (profile or current_profile()).all_kinds().values())
    hint_en = hint_cy = ""
    if near:
        shown = ", ".join(near)
        hint_en = f"; the nearest known: {shown} (check the root element's name and namespace)"
        hint_cy = f"; yr agosaf sy'n hysbys: {shown} (gwiriwch enw a gofod enw'r elfen wraidd)"
    return Issue(
        "xml.unknown-kind",
        Severity.ERROR,
        f"the root element {tag} is not a message of any standard in the catalogue{hint_en}",
        f"nid yw'r elfen wraidd {tag} yn neges o unrhyw safon yn y catalog{hint_cy}",
        source=source,
        line=root.sourceline,
    )


def near_roots(tag: str, specs: Iterable[KindSpec], most: int = 3) -> list[str]:
    """Return up to ``most`` known roots (``{namespace}local``) closest to ``tag``.

    A root with the same local name in another namespace (a missing or mistyped namespace,
    another version of an ISO 20022 message) comes first, by the closeness of the
    namespaces; then a root of the same namespace with a close local name (a typo).
    """
    import difflib  # only for a document no kind claims (start-up)

    namespace, local = split_tag(tag)
    roots = sorted({(spec.namespace, spec.root) for spec in specs})
    same_local = [ns for ns, name in roots if name == local and ns != namespace]
    by_namespace = difflib.get_close_matches(namespace, same_local, n=most, cutoff=0.0)
    found = [f"{{{ns}}}{local}" for ns in by_namespace]
    if not found:
        names = [name for ns, name in roots if ns == namespace]
        found = [
            f"{{{namespace}}}{name}"
            for name in difflib.get_close_matches(local, names, n=most, cutoff=0.6)
        ]
    return found


class CheckTree(Protocol):
    """The whole-document checks of a parsed document (:func:`.engine.check_tree`)."""

    def __call__(
        self,
        tree: etree._ElementTree,
        options: Options,
        *,
        name: str | None,
        state: State | None = None,
        hint: bytes | None = None,
    ) -> Iterator[Issue]:
        """Run every layer on ``tree`` (``hint``: its bytes, to skip needless scans)."""
        ...


__all__ = [
    "ALL_CHECKS",
    "CheckTree",
    "Options",
    "State",
    "detect",
    "input_issue",
    "is_within",
    "make_options",
    "near_roots",
    "split_tag",
    "unknown_kind",
]
