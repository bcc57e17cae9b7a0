"""The ``lgs`` Sphinx domain: targets for concepts, schema components, rules and issue codes.

The directives register every object they render here, so pages can link to them
with roles, from any page of the site::

    :lgs:concept:`lgsl:57`       a concept, as ``list:code`` (or ``lgsl-57``)
    :lgs:type:`lgc:PostcodeType` a schema type, as ``prefix:Name`` (catalogue prefix)
    :lgs:element:`epay:PaymentRequest`
    :lgs:rule:`EPAY-R001`        a business rule
    :lgs:issue:`xsd.pattern`     an issue code

Links the directives make themselves (a service's functions, a type used by an
element) are *optional*: when the target is not rendered anywhere on the site they
stay plain text instead of raising a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.nodes import Element
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

#: Object types: concept, type, element, group, schema (by namespace), rule, issue.
OBJECT_TYPES = ("concept", "type", "element", "group", "schema", "rule", "issue")

#: One registered object: (docname, anchor, display name).
Entry = tuple[str, str, str]


def clark(namespace: str, local: str) -> str:
    """Return the Clark notation ``{namespace}local`` used as the key of schema objects."""
    return f"{{{namespace}}}{local}" if namespace else local


def concept_key(list_name: str, code: object) -> str:
    """Return the key of a concept: ``lgsl:57``."""
    return f"{list_name}:{code}"


def optional_xref(objtype: str, target: str, content: nodes.Node) -> addnodes.pending_xref:
    """Return a link to an ``lgs`` object that falls back to its content when missing."""
    ref = addnodes.pending_xref(
        "",
        content,
        refdomain="lgs",
        reftype=objtype,
        reftarget=target,
        refexplicit=True,
        refwarn=False,
    )
    ref["lgs_optional"] = True
    return ref


class LGStandardsDomain(Domain):
    """Targets for everything the lgstandards directives render."""

    name = "lgs"
    label = "lgstandards"
    object_types: ClassVar[dict[str, ObjType]] = {t: ObjType(t, t) for t in OBJECT_TYPES}
    roles: ClassVar[dict[str, Any]] = {t: XRefRole(warn_dangling=True) for t in OBJECT_TYPES}
    initial_data: ClassVar[dict[str, Any]] = {
        "objects": {},  # (objtype, key) -> (docname, anchor, display)
        "prefixes": {},  # prefix -> namespace
        "data_docs": {},  # docname -> True for pages rendered from vocabularies/
    }

    @property
    def objects(self) -> dict[tuple[str, str], Entry]:
        """Every registered object by ``(objtype, key)``."""
        found: dict[tuple[str, str], Entry] = self.data.setdefault("objects", {})
        return found

    @property
    def prefixes(self) -> dict[str, str]:
        """Namespace prefixes the schema pages use, for ``prefix:Name`` targets."""
        found: dict[str, str] = self.data.setdefault("prefixes", {})
        return found

    def note_object(self, objtype: str, key: str, anchor: str, display: str) -> None:
        """Register an object rendered in the current document under ``anchor``."""
        self.objects[(objtype, key)] = (self.env.docname, anchor, display)

    def note_prefix(self, prefix: str, namespace: str) -> None:
        """Bind ``prefix`` to ``namespace`` for the type and element roles."""
        self.prefixes.setdefault(prefix, namespace)

    @property
    def data_docs(self) -> dict[str, bool]:
        """The pages that render the vocabularies (re-read when a release is added)."""
        found: dict[str, bool] = self.data.setdefault("data_docs", {})
        return found

    def note_data_doc(self) -> None:
        """Mark the current document as rendered from the vocabularies."""
        self.data_docs[self.env.docname] = True

    def clear_doc(self, docname: str) -> None:
        """Forget the objects of ``docname``."""
        for key, entry in list(self.objects.items()):
            if entry[0] == docname:
                del self.objects[key]
        self.data_docs.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Merge the objects found by a parallel reader."""
        for key, entry in otherdata.get("objects", {}).items():
            if entry[0] in docnames:
                self.objects[key] = entry
        for prefix, namespace in otherdata.get("prefixes", {}).items():
            self.prefixes.setdefault(prefix, namespace)
        for docname in otherdata.get("data_docs", {}):
            if docname in docnames:
                self.data_docs[docname] = True

    def _keys(self, objtype: str, target: str) -> Iterator[str]:
        target = target.strip()
        yield target
        if objtype == "concept" and ":" not in target and "-" in target:
            name, _, code = target.rpartition("-")
            yield concept_key(name, code)
        if objtype in {"type", "element", "group"} and not target.startswith("{"):
            prefix, sep, local = target.partition(":")
            if sep and prefix in self.prefixes:
                yield clark(self.prefixes[prefix], local)
        if objtype == "issue" and not target.startswith("rule.") and target[:1].isupper():
            yield f"rule.{target}"

    def find(self, objtype: str, target: str) -> Entry | None:
        """Return the object ``target`` of ``objtype``, or None."""
        for key in self._keys(objtype, target):
            entry = self.objects.get((objtype, key))
            if entry is not None:
                return entry
        return None

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        """Resolve a role or a directive's link; optional links fall back to their text."""
        entry = self.find(typ, target)
        if entry is None:
            # Sphinx replaces the pending reference with whatever node is returned; the
            # content (plain text) is the right fallback for an optional link.
            return cast(nodes.reference, contnode) if node.get("lgs_optional") else None
        docname, anchor, display = entry
        if typ == "concept" and not node.get("refexplicit"):
            # :lgs:concept:`lgsl:57` reads "57 Council tax annual notification".
            contnode = nodes.inline(display, display, classes=contnode.get("classes", []))
        # The display name is the link's title only when the link shows less (a code alone).
        title = display if contnode.astext() != display else None
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        """Resolve an ``:any:`` reference against every object type."""
        found: list[tuple[str, nodes.reference]] = []
        for objtype in OBJECT_TYPES:
            entry = self.find(objtype, target)
            if entry is not None:
                docname, anchor, display = entry
                ref = make_refnode(builder, fromdocname, docname, anchor, contnode, display)
                found.append((f"lgs:{objtype}", ref))
        return found

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        """Yield every object for the search index and inventory."""
        for (objtype, key), (docname, anchor, display) in self.objects.items():
            yield key, display, objtype, docname, anchor, 1


def releases_fingerprint() -> tuple[str, ...]:
    """Return the release folders of every list (a new release changes it)."""
    from lgstandards._resources import vocabularies_root

    return tuple(sorted(str(p.parent) for p in vocabularies_root().glob("*/*/manifest.json")))


def outdated_data_docs(
    app: Any, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Return the vocabulary pages to re-read when a list has gained a release."""
    current = releases_fingerprint()
    previous = getattr(env, "lgs_releases", None)
    env.lgs_releases = current  # type: ignore[attr-defined]
    if previous is None or previous == current:
        return []
    domain = env.get_domain("lgs")
    assert isinstance(domain, LGStandardsDomain)
    return sorted(d for d in domain.data_docs if d not in removed)


__all__ = [
    "OBJECT_TYPES",
    "Entry",
    "LGStandardsDomain",
    "clark",
    "concept_key",
    "optional_xref",
    "outdated_data_docs",
    "releases_fingerprint",
]
