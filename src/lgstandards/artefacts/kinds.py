"""Document kinds: what the validator knows about each message root.

A kind (``epay.payment-request`` ...) maps a root element (namespace + local name) to
its XML Schema, Schematron rules, supported ``SchemaVersion`` values, for batch
files the record element validated one at a time in streaming mode and, for an
envelope, the message classes whose bodies it carries. The kinds come from the
catalogue (:mod:`lgstandards.artefacts.catalogue`); a validation profile may add kinds
of its own (:class:`lgstandards.validation.profile.Profile`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

from lgstandards._records import FACTORY, Compared, written_out
from lgstandards.artefacts import catalogue


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class KindSpec(Compared):
    """Everything the validator needs to know about one document kind."""

    kind: str
    namespace: str
    root: str
    schema_file: Path | None
    rules_file: Path | None = None
    versions: frozenset[str] = frozenset()
    record: str | None = None
    python_rules: bool = True
    prefixes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    from_catalogue: bool = False
    #: For an envelope: each message class prefix (``LGS-EPAY-``) and the namespace of
    #: the bodies it carries (catalogue ``body`` -> ``class_prefixes``).
    body_classes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        kind: str,
        namespace: str,
        root: str,
        schema_file: Path | None,
        rules_file: Path | None = None,
        versions: frozenset[str] = frozenset(),
        record: str | None = None,
        python_rules: bool = True,
        prefixes: Mapping[str, str] = FACTORY,
        from_catalogue: bool = False,
        body_classes: Mapping[str, str] = FACTORY,
    ) -> None:
        put = object.__setattr__
        put(self, "kind", kind)
        put(self, "namespace", namespace)
        put(self, "root", root)
        put(self, "schema_file", schema_file)
        put(self, "rules_file", rules_file)
        put(self, "versions", versions)
        put(self, "record", record)
        put(self, "python_rules", python_rules)
        put(self, "prefixes", MappingProxyType({}) if prefixes is FACTORY else prefixes)
        put(self, "from_catalogue", from_catalogue)
        put(self, "body_classes", MappingProxyType({}) if body_classes is FACTORY else body_classes)

    def body_namespace(self, message_class: str) -> str | None:
        """Return the body namespace a message class chooses, None for a class not ours."""
        for prefix, namespace in self.body_classes.items():
            if message_class.startswith(prefix):
                return namespace
        return None

    @property
    def root_tag(self) -> str:
        """The root element in Clark notation (``{namespace}Local``)."""
        return f"{{{self.namespace}}}{self.root}"

    @property
    def record_tag(self) -> str | None:
        """The streaming record element in Clark notation, when the kind has one."""
        return f"{{{self.namespace}}}{self.record}" if self.record else None


#: The kind of RDF documents (service catalogues), validated with SHACL, not XSD.
RDF_KIND = "rdf.service-catalogue"


@cache
def _catalogued() -> tuple[KindSpec, ...]:
    names = catalogue.prefixes()
    return tuple(
        KindSpec(
            kind=kind,
            namespace=entry.namespace,
            root=local,
            schema_file=entry.path,
            rules_file=entry.rules_path,
            versions=entry.versions_of(local),
            record=entry.streaming.get(local),
            prefixes=names,
            from_catalogue=True,
            body_classes=entry.body_classes,
        )
        for entry in catalogue.entries()
        for local, kind in entry.roots.items()
    )


def all_kinds() -> dict[str, KindSpec]:
    """Return every catalogued kind by name (a profile adds its own: ``Profile.all_kinds``)."""
    return {spec.kind: spec for spec in _catalogued()}


def spec_for_kind(kind: str) -> KindSpec | None:
    """Return the kind named ``kind``, or None."""
    return next((s for s in _catalogued() if s.kind == kind), None)


def spec_for_root(namespace: str, local: str) -> KindSpec | None:
    """Return the kind whose root element is ``{namespace}local``, or None."""
    for spec in _catalogued():
        if spec.namespace == namespace and spec.root == local:
            return spec
    return None


def prefixes() -> Mapping[str, str]:
    """Return the catalogue's namespace-to-prefix map."""
    return catalogue.prefixes()


__all__ = [
    "RDF_KIND",
    "KindSpec",
    "all_kinds",
    "prefixes",
    "spec_for_kind",
    "spec_for_root",
]
