"""The published artefacts as the library reads them: one owner per concept.

- :mod:`~lgstandards.artefacts.catalogue`: ``schemas/catalog.json`` (namespaces, files,
  prefixes, document roots, streaming records, envelope body classes, rule and model
  module names);
- :mod:`~lgstandards.artefacts.kinds`: the document kinds the validator knows;
- :mod:`~lgstandards.artefacts.resolver`: the one offline resolver (lxml and xmlschema);
- :mod:`~lgstandards.artefacts.schemas`: XML Schemas compiled once per process, record
  schemas for streaming and the elements that hold vocabulary codes;
- :mod:`~lgstandards.artefacts.declarations`: what the Schematron files declare (rule
  ids, severities, English and Welsh texts, contexts, variables), read once.

This layer sits just above the base modules (exceptions, resources, report, safe XML)
and imports nothing above it. Import the module you need; this package imports nothing.
"""

from __future__ import annotations

__all__: list[str] = []
