"""Write the editable vocabulary sources under vocabularies/<list>/ from the external files.

Re-runnable and deterministic: the same inputs give byte-identical outputs. It reads only
the folders whose SOURCE.md allows shipping derived data (domain.md section 8) and the
LGIL table of domain.md section 2.2 (the project's assembled LGIL source: there is no
LGIL data file).

    python scripts/import_external.py [--external DIR] [--domain FILE] [--out DIR]

Defaults: ``--external ../shared/data/external`` and ``--domain ../shared/docs/domain.md``,
both relative to the repository root; ``--out vocabularies``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lgstandards.vocab.source import BASE_COLUMNS, write_csv

REPO = Path(__file__).resolve().parents[1]

LISTS = ("lgsl", "lgil", "functions", "lgnl", "tiers", "transactions")

OGL_URL_AS_PUBLISHED = "http://www.nationalarchives.gov.uk/doc/open-government-licence/"
ESD_ATTRIBUTION = (
    "Contains public sector information from the esd-toolkit programme, licensed under the "
    "Open Government Licence."
)
OGL_NOTE = (
    "esd's rights statement names the Open Government Licence without a version and links "
    "to the unversioned URL above (which now resolves to version 3.0)."
)

ESD_REPO = "https://github.com/movermeyer/ckanext-esdstandards"
ESD_COMMIT = "0133a969e8f78c569da0236c017a84ec9a6e774e"
DGU_REPO = "https://github.com/datagovuk/ckanext-dgu-local"
DGU_COMMIT = "22c234e23ae02ced374cd38ffb1ce17b24cd6e3c"
LGNL_REPO = "https://github.com/KevinJump/LocalGovStarterKit-Old"
LGNL_COMMIT = "9ae9460bfac66ec0f53a5fb1021ba491308258de"
PUBLISHER_REPO = "https://github.com/alphagov/publisher"
PUBLISHER_COMMIT = "71d85309e884408767845c118cf67216e059a895"
LLM_REPO = "https://github.com/alphagov/local-links-manager"
LLM_COMMIT = "4539b175c8aec39398d333e2552184c4d8970e74"

TIERS_2025 = "alphagov-publisher/2025-07-02_71d85309/local_services.csv"
#: Every version of Publisher's local_services.csv shipped in tiers/history.csv:
#: (folder, commit, date of the commit).
TIER_VERSIONS = (
    ("2012-02-13_1908b534", "1908b5341dfab8b362dffa8a092720efe4553f2c", dt.date(2012, 2, 13)),
    ("2015-03-20_95d0ddcb", "95d0ddcb50f12f5aadede0667c3c1a0b6eeb4d71", dt.date(2015, 3, 20)),
    ("2025-07-02_71d85309", PUBLISHER_COMMIT, dt.date(2025, 7, 2)),
)


# --------------------------------------------------------------------------- reading


def read_csv(path: Path) -> list[list[str]]:
    """Read a UTF-8 CSV exactly (quoted newlines kept as they are in the file)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def records(path: Path, width: int | None = None) -> list[dict[str, str]]:
    """Rows as dicts keyed by the header; ``width`` checks the field count of every row."""
    rows = read_csv(path)
    header = rows[0]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if width is not None and len(row) != width:
            raise SystemExit(f"{path}: row {number} has {len(row)} fields, expected {width}")
        out.append(dict(zip(header, row, strict=True)))
    return out


def dmy(value: str) -> str:
    """Convert the data.gov.uk ``d/m/yy`` dates to ISO."""
    day, month, year = (int(part) for part in value.split("/"))
    return dt.date(2000 + year, month, day).isoformat()


def strip_tags(text: str) -> str:
    """Plain text of esd's HTML ``<Rights>`` statement."""
    return re.sub(r"<[^>]+>", "", text).strip()


# --------------------------------------------------------------------------- writing


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """FORMAT.md CSV: UTF-8, no BOM, LF, QUOTE_MINIMAL."""
    cells = (["" if value is None else str(value) for value in row] for row in rows)
    return write_csv(header, cells)


def concept_rows(
    concepts: Iterable[Mapping[str, Any]], extra: Sequence[str] = ()
) -> tuple[tuple[str, ...], list[list[Any]]]:
    """Header and rows of concepts.csv, sorted by code as an integer."""
    header = (*BASE_COLUMNS, *extra)
    ordered = sorted(concepts, key=lambda c: int(c["code"]))
    return header, [[c.get(column, "") for column in header] for c in ordered]


def toml_str(value: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML escapes for these texts)."""
    return json.dumps(value, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """Render a TOML value: str, bool, int, date or a flat list of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_table(pairs: Mapping[str, Any]) -> str:
    """``key = value`` lines; a key starting with ``#`` is written as a comment line."""
    lines = []
    for key, value in pairs.items():
        if key.startswith("#"):
            lines.extend(f"# {line}".rstrip() for line in str(value).splitlines())
        else:
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def scheme_toml(
    top: Mapping[str, Any],
    licence: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]],
    checks: Mapping[str, Any] | None = None,
) -> bytes:
    """The text of a scheme.toml (FORMAT.md), with comments kept in order."""
    parts = [
        "# Generated by scripts/import_external.py from the external sources; edit the\n"
        "# script and re-run it rather than editing this file by hand.\n",
        toml_table(top),
        "[licence]\n" + toml_table(licence),
    ]
    parts.extend("[[sources]]\n" + toml_table(source) for source in sources)
    if checks is not None:
        parts.append("[checks]\n" + toml_table(checks))
    return "\n".join(parts).encode("utf-8")


def esd_licence(attribution: str = ESD_ATTRIBUTION, **more: str) -> dict[str, Any]:
    return {
        "name": "Open Government Licence",
        "url": OGL_URL_AS_PUBLISHED,
        "id": "OGL-UK-3.0",
        "attribution": attribution,
        "#": OGL_NOTE,
        **more,
    }


# --------------------------------------------------------------------------- lists


def import_lgsl(external: Path) -> dict[str, bytes]:
    path = external / "ckanext-esdstandards/services.csv"
    rows = read_csv(path)
    header = rows[0]
    expected = ["Identifier", "Label", "Description", "Created", "Modified", "History notes"]
    if header[:6] != expected or header[6:] != ["Type", ""]:
        raise SystemExit(f"{path}: unexpected header {header}")
    concepts = []
    for row in rows[1:]:
        if len(row) != 8 or row[6] != "Service" or row[7] != "":
            raise SystemExit(f"{path}: unexpected row {row[:2]}")
        concepts.append(
            {
                "code": int(row[0]),
                "label": row[1],
                "description": row[2],
                "created": dt.date.fromisoformat(row[3]).isoformat(),
                "modified": dt.date.fromisoformat(row[4]).isoformat(),
                "history_notes": row[5],
            }
        )
    modified = max(c["modified"] for c in concepts)
    top = {
        "id": "lgsl",
        "title": "Local Government Service List",
        "description": (
            "The esd-toolkit Services list (list/services, LGSL v4.x) as exported in March "
            "2015: every service with its code, label, description (scope note), dates and "
            "history notes exactly as published. It includes services outside the "
            "English/Welsh subset (emergency, Scottish, EU Services Directive items). Version: "
            "esd numbered LGSL releases up to 4.0.1, the last version named in the History "
            "notes column; later changes carry only Modified dates, so this snapshot is "
            "labelled 4.0.1 and dated by its newest Modified date."
        ),
        "#v": (
            "Version choice: the History notes name versions 2.02 to 4.0.1 (domain.md 1.6);\n"
            "4.0.1 is the last numbered release. 34 services were added or changed after it\n"
            "(Modified 2014-02 to 2015-02) without a version number: see 'modified'."
        ),
        "uri": "http://id.esd.org.uk/list/services",
        "concept_uri": "http://id.esd.org.uk/service/{code}",
        "version": "4.0.1",
        "#i": "issued: the date of the snapshot (the export was committed upstream on 2015-03-17)",
        "issued": dt.date(2015, 3, 17),
        "modified": dt.date.fromisoformat(modified),
        "status": "current",
        "extra_columns": [],
        "language": "en",
    }
    sources = [
        {
            "publisher": "esd-toolkit (Local Government Association)",
            "url": "http://standards.esd.org.uk/csv?uri=list/services",
            "via": ESD_REPO,
            "commit": ESD_COMMIT,
            "path": "ckanext-esdstandards-data/services.csv",
            "retrieved": dt.date(2015, 3, 17),
            "licence": "OGL-UK-3.0",
            "rows": len(concepts),
        }
    ]
    head, body = concept_rows(concepts)
    return {
        "scheme.toml": scheme_toml(top, esd_licence(), sources),
        "concepts.csv": csv_bytes(head, body),
    }


def import_functions(external: Path, lgsl: set[int]) -> dict[str, bytes]:
    path = external / "ckanext-esdstandards/functions.csv"
    concepts = []
    for rec in records(path, width=10):
        if rec["Type"] != "Function":
            raise SystemExit(f"{path}: unexpected type {rec['Type']!r}")
        concepts.append(
            {
                "code": int(rec["Identifier"]),
                "label": rec["Label"],
                "description": rec["Description"],
                "broader": rec["Parent identifiers"],
                "created": dt.date.fromisoformat(rec["Created"]).isoformat(),
                "modified": dt.date.fromisoformat(rec["Modified"]).isoformat(),
                "history_notes": rec["History notes"],
            }
        )
    labels = {c["code"]: c["label"] for c in concepts}
    themes = external / "ckanext-dgu-local/functions_services_themes.csv"
    mappings: set[tuple[int, int]] = set()
    for rec in records(themes, width=14):
        code = int(rec["Identifier"])
        if labels.get(code) != rec["Label"]:
            raise SystemExit(f"{themes}: function {code} differs from functions.csv")
        if rec["Mapping type"] == "":
            continue
        if rec["Mapping type"] != "contains" or rec["Mapped type"] != "Service":
            raise SystemExit(f"{themes}: unexpected mapping {rec}")
        mappings.add((code, int(rec["Mapped identifier"])))
    missing = sorted({s for _, s in mappings} - lgsl)
    modified = max(c["modified"] for c in concepts)
    top = {
        "id": "functions",
        "title": "Function list",
        "description": (
            "The esd-toolkit Function list (list/functions, 'LGFL'): 113 council functions in "
            "two levels (13 top-level), exported in March 2015, with the function contains "
            "service mappings of March 2014 (1,241 LGSL services, one function each). esd "
            "published no version number for this list; the version is the date of the "
            "snapshot."
        ),
        "uri": "http://id.esd.org.uk/list/functions",
        "concept_uri": "http://id.esd.org.uk/function/{code}",
        "version": "2015-03-17",
        "issued": dt.date(2015, 3, 17),
        "modified": dt.date.fromisoformat(modified),
        "status": "current",
        "extra_columns": [],
        "language": "en",
    }
    sources = [
        {
            "publisher": "esd-toolkit (Local Government Association)",
            "url": "http://standards.esd.org.uk/csv?uri=list/functions",
            "via": ESD_REPO,
            "commit": ESD_COMMIT,
            "path": "ckanext-esdstandards-data/functions.csv",
            "retrieved": dt.date(2015, 3, 17),
            "licence": "OGL-UK-3.0",
            "used_for": "concepts.csv",
            "rows": len(concepts),
        },
        {
            "publisher": "esd-toolkit (Local Government Association), via data.gov.uk",
            "url": "http://standards.esd.org.uk/csv?uri=list/functions&mappedToUri=list/services",
            "via": DGU_REPO,
            "commit": DGU_COMMIT,
            "path": "ckanext/dgulocal/data/functions_services_themes.csv",
            "retrieved": dt.date(2014, 3, 17),
            "licence": "OGL-UK-3.0",
            "used_for": "mappings.csv (the data.gov.uk Theme column is not used)",
            "rows": len(mappings),
        },
    ]
    head, body = concept_rows(concepts)
    return {
        "scheme.toml": scheme_toml(top, esd_licence(), sources, {"codes_not_in_lgsl": missing}),
        "concepts.csv": csv_bytes(head, body),
        "mappings.csv": csv_bytes(("code", "service"), sorted(mappings)),
    }


def import_lgnl(external: Path, lgsl: set[int]) -> dict[str, bytes]:
    folder = external / "localgovstarterkit-lgnl"
    path = folder / "navigation_englishAndWelshServices.csv"
    headings: dict[int, dict[str, Any]] = {}
    mappings: set[tuple[int, int]] = set()
    for rec in records(path, width=14):
        code = int(rec["Identifier"])
        concept = {
            "code": code,
            "label": rec["Label"],
            "description": rec["Description"],
            "broader": rec["Parent identifiers"],
            "created": dt.date.fromisoformat(rec["Created"]).isoformat(),
            "modified": dt.date.fromisoformat(rec["Modified"]).isoformat(),
            "history_notes": rec["History notes"],
        }
        if headings.setdefault(code, concept) != concept:
            raise SystemExit(f"{path}: heading {code} is described twice differently")
        if rec["Mapping type"]:
            if rec["Mapping type"] != "contains" or rec["Mapped type"] != "Service":
                raise SystemExit(f"{path}: unexpected mapping {rec}")
            mappings.add((code, int(rec["Mapped identifier"])))
    # The XML export carries the list metadata and the rights statement; check it agrees.
    root = ET.parse(folder / "navigation_englishAndWelshServices.xml").getroot()
    rights = strip_tags(root.findtext("Rights") or "")
    list_modified = (root.findtext("Modified") or "")[:10]
    published_uris: set[str] = set()
    xml_mappings: set[tuple[int, int]] = set()
    for item in root.iter("WebsiteNavigation"):
        ident = item.findtext("Identifier")
        if ident is None:
            continue
        code = int(ident)
        if headings[code]["label"] != item.findtext("Label"):
            raise SystemExit(f"LGNL XML and CSV disagree on the label of {code}")
        published_uris.add(item.findtext("URI") or "")
        for service in item.findall("Services/Service"):
            xml_mappings.add((code, int(service.findtext("Identifier") or "")))
    if xml_mappings != mappings or len(published_uris) != len(headings):
        raise SystemExit("LGNL XML and CSV disagree on the mappings")
    template = "http://id.esd.org.uk/website navigation/{code}"
    if published_uris != {template.format(code=c) for c in headings}:
        raise SystemExit("LGNL URIs are not of the expected published form")
    if "West London Alliance" not in rights or "esd-toolkit programme" not in rights:
        raise SystemExit(f"unexpected LGNL rights statement: {rights!r}")
    missing = sorted({s for _, s in mappings} - lgsl)
    top = {
        "id": "lgnl",
        "title": "Local Government Navigation List",
        "description": (
            (root.findtext("Description") or "")
            + ". LGNL version 4.00 (2 October 2013): 118 headings in two levels and their "
            "heading contains service mappings to 829 services of the English and Welsh "
            "services list, one heading per service. esd discontinued LGNL in January 2019; "
            "it is shipped as a historical list."
        ),
        "uri": "http://id.esd.org.uk/list/navigation",
        "#u": (
            "esd publishes the item URIs with a literal space ('website navigation'), which\n"
            "is not a valid IRI; concept_uri percent-encodes it, published_concept_uri keeps\n"
            "the published form for display."
        ),
        "concept_uri": "http://id.esd.org.uk/website%20navigation/{code}",
        "published_concept_uri": template,
        "version": "4.00",
        "issued": dt.date.fromisoformat(list_modified),
        "modified": dt.date.fromisoformat(list_modified),
        "status": "discontinued",
        "#d": "esd: discontinued in January 2019 (the day is not published; the 1st is used)",
        "discontinued": dt.date(2019, 1, 1),
        "extra_columns": [],
        "language": "en",
    }
    attribution = (
        ESD_ATTRIBUTION
        + " Derived from the Poly Hierarchical System developed by the West London Alliance "
        "of local authorities."
    )
    licence = esd_licence(attribution, rights_as_published=rights)
    common = {
        "publisher": "esd-toolkit (Local Government Association); West London Alliance",
        "url": "http://standards.esd.org.uk/?uri=list/navigation",
        "via": LGNL_REPO,
        "commit": LGNL_COMMIT,
        "retrieved": dt.date(2014, 4, 4),
        "licence": "OGL-UK-3.0",
    }
    sources = [
        {
            **common,
            "path": "navigation_englishAndWelshServices.csv",
            "used_for": "concepts.csv, mappings.csv",
        },
        {
            **common,
            "path": "navigation_englishAndWelshServices.xml",
            "used_for": "list description, rights statement; cross-check of the CSV",
        },
    ]
    head, body = concept_rows(headings.values())
    return {
        "scheme.toml": scheme_toml(top, licence, sources, {"codes_not_in_lgsl": missing}),
        "concepts.csv": csv_bytes(head, body),
        "mappings.csv": csv_bytes(("code", "service"), sorted(mappings)),
    }


def lgil_table(domain: Path) -> list[list[str]]:
    """The rows of the code table in domain.md section 2.2."""
    text = domain.read_text(encoding="utf-8")
    start = text.index("### 2.2 Code table")
    end = text.index("\n## 3.", start)
    rows = []
    for line in text[start:end].splitlines():
        if not line.startswith("| ") or line.startswith(("| Code", "|---")):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not cells[0].isdigit():
            continue  # "18, 19 | (unassigned)"
        rows.append(cells)
    return rows


def import_lgil(domain: Path) -> dict[str, bytes]:
    concepts = []
    for code, label, short, parent, basis, _evidence in lgil_table(domain):
        if basis not in ("BVPI 157", "inferred", "esd text", ""):
            raise SystemExit(f"unexpected parent basis {basis!r} for LGIL {code}")
        concepts.append(
            {
                "code": int(code),
                "label": label,
                "broader": "" if parent == "none" else int(parent),
                "short_label": short,
                "parent_inferred": "true" if basis == "inferred" else "",
                "bvpi157": "true" if basis == "BVPI 157" else "",
            }
        )
    codes = sorted(c["code"] for c in concepts)
    if codes != [*range(18), *range(20, 35)]:
        raise SystemExit(f"unexpected LGIL codes {codes}")
    top = {
        "id": "lgil",
        "title": "Local Government Interaction List",
        "description": (
            "The esd-toolkit Interaction list (LGIL): types of interaction a council service "
            "supports. Codes 0 to 9 are the ten BVPI 157 interaction types; 18 and 19 are "
            "unassigned. No esd LGIL data file is available: this list is assembled by "
            "lgstandards from three sources (listed in scheme.toml). Parent links are lgstandards' "
            "inference from the labels (parent_inferred), except 22 to 24, which esd's own "
            "LGIL text calls sub-headings of Booking. Short labels are unofficial."
        ),
        "uri": "http://id.esd.org.uk/list/interactions",
        "concept_uri": "http://id.esd.org.uk/interaction/{code}",
        "#v": (
            "esd versions: 1.00 (1 Sep 2005) and 1.01 (planned release 2 Feb 2009, SKOS scheme\n"
            "http://id.esd.org.uk/InteractionList/1.01). The codes and labels are those of 1.01."
        ),
        "version": "1.01",
        "issued": dt.date(2009, 2, 2),
        "status": "current",
        "extra_columns": ["short_label", "parent_inferred", "bvpi157"],
        "language": "en",
    }
    sources = [
        {
            "publisher": "lgstandards (assembled table, domain notes section 2.2)",
            "url": "lgstandards domain notes, section 2.2 'Code table'",
            "licence": "OGL-UK-3.0",
            "used_for": "codes, labels, short labels, parents and their basis",
            "note": (
                "Merges [S] a 'local_interactions' seed table (code, label, short name) from a "
                "public PHP application whose repository was not identified (its short names "
                "are unofficial), [D] Local Directgov 2012 rows and [G] GOV.UK slug/code pairs. "
                "The BVPI 157 wording corroborates labels 0 to 9; labels 10 to 34 rest on [S] "
                "alone except where [D] or [G] show them in use."
            ),
        },
        {
            "publisher": "Directgov / DCLG (Local Directgov)",
            "url": "local_authority_service_details.csv (Local Directgov, 2012)",
            "licence": "none stated (evidence of usage only; no data from it is shipped)",
            "used_for": "evidence that codes 0, 1, 2, 3, 4, 8, 9, 14, 31, 33, 34 are in use",
        },
        {
            "publisher": "Government Digital Service (GOV.UK Local Links Manager)",
            "url": "https://github.com/alphagov/local-links-manager",
            "via": LLM_REPO,
            "commit": LLM_COMMIT,
            "path": "lgsl_lgil_fallback_links.csv",
            "retrieved": dt.date(2017, 4, 7),
            "licence": "MIT",
            "used_for": "slug/code pairs for 0, 4, 8 and 17",
        },
    ]
    head, body = concept_rows(concepts, ("short_label", "parent_inferred", "bvpi157"))
    return {
        "scheme.toml": scheme_toml(
            top,
            esd_licence(
                ESD_ATTRIBUTION
                + " Assembled by lgstandards; parent links marked parent_inferred and the "
                "short labels are not esd's."
            ),
            sources,
        ),
        "concepts.csv": csv_bytes(head, body),
    }


def mit_crown(year: int) -> dict[str, Any]:
    return {
        "name": "MIT",
        "url": "https://opensource.org/license/mit",
        "id": "MIT",
        "attribution": (
            f"Copyright (c) {year} Crown Copyright (Government Digital Service), MIT licence. "
            "LGSL codes from the esd-toolkit programme, Open Government Licence."
        ),
        "codes_licence": "OGL-UK-3.0",
    }


def local_services(path: Path) -> list[tuple[int, str, str]]:
    """Read one version of Publisher's local_services.csv: (LGSL, tier, description)."""
    mappings = []
    for rec in records(path, width=3):
        if rec["Providing Tier"] not in ("all", "county/unitary", "district/unitary"):
            raise SystemExit(f"{path}: unexpected tier {rec['Providing Tier']!r}")
        mappings.append((int(rec["LGSL"]), rec["Providing Tier"], rec["Description"]))
    mappings.sort()
    if len({m[0] for m in mappings}) != len(mappings):
        raise SystemExit(f"{path}: a service is listed twice")
    return mappings


def import_tiers(external: Path, lgsl: set[int]) -> dict[str, bytes]:
    mappings = local_services(external / TIERS_2025)
    missing = sorted({m[0] for m in mappings} - lgsl)
    history = []
    history_sources = []
    for folder, commit, when in TIER_VERSIONS:
        rows = local_services(external / "alphagov-publisher" / folder / "local_services.csv")
        source = f"GOV.UK Publisher local_services.csv {when.isoformat()}"
        history.extend((code, when.isoformat(), tier, text, source) for code, tier, text in rows)
        history_sources.append(
            {
                "publisher": "Government Digital Service (GOV.UK Publisher)",
                "url": f"{PUBLISHER_REPO}/blob/{commit}/data/local_services.csv",
                "via": PUBLISHER_REPO,
                "commit": commit,
                "path": "data/local_services.csv",
                "retrieved": when,
                "licence": "MIT",
                "used_for": f"history.csv (the version of {when.isoformat()})",
                "rows": len(rows),
            }
        )
    history.sort()
    history_missing = sorted({h[0] for h in history} - lgsl)
    date = dt.date(2025, 7, 2)
    concepts = [
        {"code": 1, "label": "county"},
        {"code": 2, "label": "district"},
        {"code": 3, "label": "unitary"},
    ]
    top = {
        "id": "tiers",
        "title": "Council tiers providing each service (GOV.UK)",
        "description": (
            "The three tiers of English local government as GOV.UK Local Links Manager "
            "numbers them (county 1, district 2, unitary 3), and the providing tier of each "
            "service of GOV.UK's local-services subset (117 services) from GOV.UK Publisher's "
            "data/local_services.csv of 2 July 2025: 'all', 'county/unitary' or "
            "'district/unitary', with GOV.UK's customer-facing phrase; history.csv keeps "
            "every version of that file (2012, 2015, 2025), dated, so that a date finds the "
            "tiers GOV.UK recorded then. esd publishes no tier per service."
        ),
        "uri": "https://w3id.org/lgstandards/id/tiers",
        "concept_uri": "https://w3id.org/lgstandards/id/tier/{code}",
        "#v": "version: the date of the GOV.UK file (esd publishes no tier data)",
        "version": date.isoformat(),
        "issued": date,
        "modified": date,
        "status": "current",
        "extra_columns": [],
        "language": "en",
    }
    sources = [
        {
            "publisher": "Government Digital Service (GOV.UK Publisher)",
            "url": "https://github.com/alphagov/publisher/blob/main/data/local_services.csv",
            "via": PUBLISHER_REPO,
            "commit": PUBLISHER_COMMIT,
            "path": "data/local_services.csv",
            "retrieved": date,
            "licence": "MIT",
            "used_for": "mappings.csv",
            "rows": len(mappings),
        },
        {
            "publisher": "Government Digital Service (GOV.UK Local Links Manager)",
            "url": "https://github.com/alphagov/local-links-manager",
            "licence": "MIT",
            "used_for": "tier ids and names (county = 1, district = 2, unitary = 3)",
        },
        *history_sources,
    ]
    head, body = concept_rows(concepts)
    checks = {"codes_not_in_lgsl": missing, "history_codes_not_in_lgsl": history_missing}
    return {
        "scheme.toml": scheme_toml(top, mit_crown(2011), sources, checks),
        "concepts.csv": csv_bytes(head, body),
        "mappings.csv": csv_bytes(("service", "providing_tier", "description"), mappings),
        "history.csv": csv_bytes(
            ("service", "date", "providing_tier", "description", "source"), history
        ),
    }


def import_transactions(external: Path, lgsl: set[int], lgil: set[int]) -> dict[str, bytes]:
    path = external / "alphagov-local-links-manager/lgsl_lgil_fallback_links.csv"
    rows = read_csv(path)
    if rows[0] != ["la", "lgsl", "lgil", "link"]:
        raise SystemExit(f"{path}: unexpected header {rows[0]}")
    councils: dict[tuple[int, int], set[str]] = defaultdict(set)
    slugs: dict[tuple[int, int], set[tuple[str, str]]] = defaultdict(set)
    for number, row in enumerate(rows[1:], start=2):
        # The header names 4 columns but every row has 6 fields: read by position.
        if len(row) != 6:
            raise SystemExit(f"{path}: row {number} has {len(row)} fields, expected 6")
        council, service_slug, interaction_slug, _link, service, interaction = row
        key = (int(service), int(interaction))
        councils[key].add(council)
        slugs[key].add((service_slug, interaction_slug))
    out = []
    for key in sorted(councils):
        if len(slugs[key]) != 1:
            raise SystemExit(f"{path}: pair {key} has several slugs {slugs[key]}")
        (service_slug, interaction_slug) = next(iter(slugs[key]))
        source = "GOV.UK Local Links Manager 2017"
        out.append((*key, service_slug, interaction_slug, len(councils[key]), source))
    unknown_lgil = sorted({k[1] for k in councils} - lgil)
    if unknown_lgil:
        raise SystemExit(f"{path}: LGIL codes not in the LGIL list: {unknown_lgil}")
    missing = sorted({k[0] for k in councils} - lgsl)
    date = dt.date(2017, 4, 7)
    top = {
        "id": "transactions",
        "title": "Transactions: real LGSL service x LGIL interaction pairs",
        "description": (
            "The distinct (LGSL service, LGIL interaction) pairs for which GOV.UK Local Links "
            "Manager held council links in April 2017 (lgsl_lgil_fallback_links.csv), with "
            "GOV.UK's service and interaction slugs and the number of councils with a link "
            "for the pair. The council links themselves are not shipped."
        ),
        "uri": "https://w3id.org/lgstandards/id/transactions",
        "#u": "{code} is '{service}-{interaction}', e.g. 57-2",
        "concept_uri": "https://w3id.org/lgstandards/id/transaction/{code}",
        "version": date.isoformat(),
        "issued": date,
        "modified": date,
        "status": "current",
        "extra_columns": [],
        "language": "en",
    }
    sources = [
        {
            "publisher": "Government Digital Service (GOV.UK Local Links Manager)",
            "url": "https://github.com/alphagov/local-links-manager",
            "via": LLM_REPO,
            "commit": LLM_COMMIT,
            "path": "lgsl_lgil_fallback_links.csv",
            "retrieved": date,
            "licence": "MIT",
            "used_for": "transactions.csv (pairs, slugs, council counts)",
            "rows": len(rows) - 1,
        }
    ]
    return {
        "scheme.toml": scheme_toml(top, mit_crown(2016), sources, {"codes_not_in_lgsl": missing}),
        "transactions.csv": csv_bytes(
            ("service", "interaction", "service_slug", "interaction_slug", "councils", "source"),
            out,
        ),
    }


# --------------------------------------------------------------------------- main


def codes_of(concepts_csv: bytes) -> set[int]:
    reader = csv.DictReader(io.StringIO(concepts_csv.decode("utf-8"), newline=""))
    return {int(row["code"]) for row in reader}


def build_all(external: Path, domain: Path) -> dict[str, dict[str, bytes]]:
    """Every list's source files, by list id then file name."""
    out: dict[str, dict[str, bytes]] = {"lgsl": import_lgsl(external)}
    lgsl = codes_of(out["lgsl"]["concepts.csv"])
    out["lgil"] = import_lgil(domain)
    lgil = codes_of(out["lgil"]["concepts.csv"])
    out["functions"] = import_functions(external, lgsl)
    out["lgnl"] = import_lgnl(external, lgsl)
    out["tiers"] = import_tiers(external, lgsl)
    out["transactions"] = import_transactions(external, lgsl, lgil)
    return out


def write(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds it; True when it changed."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--external", type=Path, default=REPO.parent / "shared/data/external")
    parser.add_argument("--domain", type=Path, default=REPO.parent / "shared/docs/domain.md")
    parser.add_argument("--out", type=Path, default=REPO / "vocabularies")
    args = parser.parse_args(argv)
    if not args.external.is_dir():
        print(f"no external data folder at {args.external}", file=sys.stderr)
        return 2
    lists = build_all(args.external, args.domain)
    changed = 0
    for list_id, files in lists.items():
        for name, data in files.items():
            changed += write(args.out / list_id / name, data)
    manifest_path = args.out / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["format"] = 1
    manifest["lists"] = list(LISTS)
    changed += write(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
    print(f"wrote {changed} changed file(s) under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
