"""The one offline resolver for schema files, for lxml and for xmlschema.

Schemas import and include other schemas. Only local files are ever read: a
namespace or one of the :data:`KNOWN_URLS` that the catalogue ships maps to its
local file; any other remote URL is refused with
:class:`~lgstandards.exceptions.SchemaNotFoundError` naming it. Nothing is fetched,
and nothing is silently replaced by an empty document.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lgstandards._resources import schemas_root
from lgstandards.artefacts.catalogue import file_for_namespace
from lgstandards.exceptions import SchemaNotFoundError

if TYPE_CHECKING:
    from lxml import etree

#: Legacy or canonical URLs some schemas use for files the catalogue ships.
KNOWN_URLS: Mapping[str, str] = MappingProxyType(
    {
        "http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd": "w3c/xmldsig-core-schema.xsd",
        "http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd": (
            "w3c/xmldsig-core-schema.xsd"
        ),
    }
)


def is_remote(uri: str) -> bool:
    """Tell whether ``uri`` names something on a network (any scheme but ``file:``)."""
    scheme, separator, _ = uri.partition("://")
    if separator:
        return scheme.lower() != "file"
    return uri.startswith("//")


def local_file(uri: str) -> Path | None:
    """Map a catalogued namespace or a known schema URL to the shipped file, or None."""
    found = file_for_namespace(uri)
    if found is not None:
        return found
    relative = KNOWN_URLS.get(uri)
    return schemas_root() / relative if relative else None


def refusal(uri: str, *, referrer: object = None) -> SchemaNotFoundError:
    """Return the error for a remote schema location the catalogue does not ship."""
    where = f"{referrer}: " if referrer is not None else ""
    return SchemaNotFoundError(
        f"{where}refusing to fetch {uri}: schemas are read offline, and the catalogue "
        "has no local copy of it"
    )


def offline(uri: str, *, referrer: object = None) -> Path | None:
    """Return the local file for ``uri``, None for a local path, or raise for a remote one."""
    found = local_file(uri)
    if found is not None:
        return found
    if is_remote(uri):
        raise refusal(uri, referrer=referrer)
    return None


_RESOLVER: list[Any] = []


def _resolver() -> Any:
    if not _RESOLVER:
        from lxml import etree

        class CatalogueResolver(etree.Resolver):
            """Resolve catalogued URLs to the shipped files; refuse other remote ones."""

            def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
                if system_url is None:
                    return None
                target = offline(system_url)  # raises for an uncatalogued remote URL
                return self.resolve_filename(str(target), context) if target else None

        _RESOLVER.append(CatalogueResolver())
    return _RESOLVER[0]


def schema_parser() -> etree.XMLParser:
    """Return an lxml parser for schema files: no network, no DTD, the offline resolver."""
    from lxml import etree

    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, collect_ids=False
    )
    parser.resolvers.add(_resolver())
    return parser


def xmlschema_uri_mapper(uri: str) -> str:
    """Map a location for xmlschema (its ``uri_mapper``) by the same rules as lxml's."""
    target = offline(uri)
    return target.as_uri() if target is not None else uri


__all__ = [
    "KNOWN_URLS",
    "is_remote",
    "local_file",
    "offline",
    "refusal",
    "schema_parser",
    "xmlschema_uri_mapper",
]
