"""The lengths, patterns, ranges and enumerations of the message schemas, against domain.md.

``domain_constraints.toml`` has one row per constrained field: the constraint as the domain
notes state it (or that they are silent), the section, and how it is enforced (the XSD or
a named business rule). For every row the tests set the field of a valid example to the
boundary values (min, max, min - 1, max + 1, pattern matches and near misses) and check
that ``lgstandards.validation``, both XSD engines (lxml and xmlschema) and the pydantic
model agree with the table. Coverage tests make the audit complete: every constrained
simple type the e-Pay and e-Benefits messages use has a row, and the fields the domain
notes constrain but the schemas do not model are still absent.
"""

from __future__ import annotations

import io
import re
import string
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pydantic import ValidationError

from lgstandards._resources import examples_root, schemas_root
from lgstandards.artefacts.catalogue import kind_for
from lgstandards.artefacts.schemas import lxml_schema, xmlschema_schema
from lgstandards.models import model_for_kind
from lgstandards.report import Severity, ValidationReport
from lgstandards.validation import validate

TABLE = Path(__file__).with_name("domain_constraints.toml")
NS = {
    "epay": "urn:lgstandards:epay:1",
    "ben": "urn:lgstandards:ebenefits:1",
    "lgc": "urn:lgstandards:common:1",
    "gt": "http://www.govtalk.gov.uk/CM/envelope",
}
XS = "http://www.w3.org/2001/XMLSchema"
STATUSES = {"agrees", "fixed", "rule", "schema-only", "design", "absent"}
#: The schemas audited: every constrained type their messages use needs a row.
AUDITED = ("urn:lgstandards:epay:1", "urn:lgstandards:ebenefits:1")
SCHEMA_FILES = (
    "common/lgs-common-v1-1.xsd",
    "epay/lgs-epay-v1-1.xsd",
    "ebenefits/lgs-ebenefits-v1-0.xsd",
)
KEYS = {
    "id",
    "status",
    "section",
    "domain",
    "example",
    "path",
    "type",
    "enforced_by",
    "set",
    "insert_after",
    "min_length",
    "max_length",
    "fill",
    "prefix",
    "suffix",
    "minimum",
    "maximum",
    "step",
    "enumeration",
    "matches",
    "misses",
    "elements",
    "note",
}


@cache
def rows() -> tuple[dict[str, Any], ...]:
    """Read the table."""
    with TABLE.open("rb") as handle:
        return tuple(tomllib.load(handle)["constraint"])


def checked_rows() -> list[dict[str, Any]]:
    """The rows with an example to set values in (every status but absent)."""
    return [row for row in rows() if row["status"] != "absent"]


@dataclass(frozen=True)
class Case:
    """One value set in one row's field, and whether the constraint allows it."""

    row: str
    value: str
    inside: bool
    label: str

    @property
    def id(self) -> str:
        shown = self.value if len(self.value) <= 40 else f"{len(self.value)} chars"
        return f"{self.row}:{self.label}:{shown!r}"


def _format(number: Decimal, step: Decimal) -> str:
    places = max(0, -int(step.as_tuple().exponent))
    return f"{number:.{places}f}"


def boundary_cases(row: dict[str, Any]) -> Iterator[Case]:
    """Derive the boundary values of a row: inside and just outside each bound."""
    name = row["id"]
    prefix, suffix, fill = row.get("prefix", ""), row.get("suffix", ""), row.get("fill", "A")

    def sized(n: int) -> str:
        return prefix + fill * (n - len(prefix)) + suffix

    if "min_length" in row:
        low = row["min_length"]
        yield Case(name, sized(low), True, "min-length")
        if low - 1 >= len(prefix):
            yield Case(name, sized(low - 1), False, "min-length-1")
    if "max_length" in row:
        high = row["max_length"]
        yield Case(name, sized(high), True, "max-length")
        yield Case(name, sized(high + 1), False, "max-length+1")
    if "minimum" in row or "maximum" in row:
        step = Decimal(row["step"])
        if "minimum" in row:
            low_value = Decimal(row["minimum"])
            yield Case(name, _format(low_value, step), True, "minimum")
            yield Case(name, _format(low_value - step, step), False, "minimum-step")
        if "maximum" in row:
            high_value = Decimal(row["maximum"])
            yield Case(name, _format(high_value, step), True, "maximum")
            yield Case(name, _format(high_value + step, step), False, "maximum+step")
    for value in row.get("enumeration", []):
        yield Case(name, value, True, "member")
    for value in row.get("matches", []):
        yield Case(name, value, True, "match")
    for value in row.get("misses", []):
        yield Case(name, value, False, "miss")


CASES = [case for row in checked_rows() for case in boundary_cases(row)]
ROWS = {row["id"]: row for row in rows()}


# ------------------------------------------------------------------ documents
@cache
def _example(name: str) -> bytes:
    return (examples_root() / name).read_bytes()


def _node(tree: etree._ElementTree, path: str) -> Any:
    found = tree.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    assert len(found) == 1, f"{path} finds {len(found)} nodes"
    return found[0]


def _owner(tree: etree._ElementTree, path: str) -> etree._Element:
    """Return the element at ``path``, or the element owning the attribute at ``path``."""
    element_path, _, _attribute = path.partition("/@")
    node = _node(tree, element_path)
    assert isinstance(node, etree._Element)
    return node


def _insert(tree: etree._ElementTree, path: str, after: str) -> None:
    prefix, _, local = path.rsplit("/", 1)[1].partition(":")
    anchor = _owner(tree, after)
    anchor.addnext(etree.Element(f"{{{NS[prefix]}}}{local}"))


def _set(tree: etree._ElementTree, path: str, value: str) -> None:
    if "/@" in path:
        attribute = path.rsplit("/@", 1)[1]
        _owner(tree, path).set(attribute, value)
    else:
        _owner(tree, path).text = value


def document(row: dict[str, Any], value: str | None) -> tuple[bytes, etree._ElementTree]:
    """Return the row's example with the field set to ``value`` (None: as prepared only)."""
    tree = etree.ElementTree(etree.fromstring(_example(row["example"])))
    if "insert_after" in row and not tree.xpath(row["path"], namespaces=NS):
        _insert(tree, row["path"], row["insert_after"])
        _set(tree, row["path"], row.get("fill", "A"))
    for path, preset in row.get("set", []):
        _set(tree, path, preset)
    if value is not None:
        _set(tree, row["path"], value)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8"), tree


def kind_of(row: dict[str, Any]) -> str:
    """The document kind of a row's example."""
    root = etree.QName(etree.fromstring(_example(row["example"])))
    kind = kind_for(root.namespace, root.localname)
    assert kind is not None
    return kind


def enforcing_rule(row: dict[str, Any]) -> str | None:
    """The rule code that enforces the row, or None when the XSD does."""
    enforced = row.get("enforced_by", "xsd")
    return None if enforced == "xsd" else f"rule.{enforced}"


def model_accepts(kind: str, data: bytes) -> bool:
    """True when the message model loads ``data``."""
    try:
        model_for_kind(kind).from_xml(data)
    except ValidationError:
        return False
    return True


def xsd_issues(report: ValidationReport) -> list[Any]:
    """The issues of the XSD layer."""
    return [issue for issue in report.issues if issue.code.startswith("xsd.")]


# ------------------------------------------------------------------ the table itself
def test_table_rows_are_complete_and_consistent() -> None:
    ids = [row["id"] for row in rows()]
    assert len(ids) == len(set(ids)), "row ids are unique"
    for row in rows():
        assert set(row) <= KEYS, f"{row['id']}: unknown keys {set(row) - KEYS}"
        assert row["status"] in STATUSES, row["id"]
        assert row["section"], row["id"]
        assert row["domain"], row["id"]
        if row["status"] == "absent":
            assert row["elements"], row["id"]
            continue
        assert {"example", "path"} <= set(row), row["id"]
        assert list(boundary_cases(row)), f"{row['id']} has no values to check"
        assert any(case.inside for case in boundary_cases(row)), row["id"]
        assert any(not case.inside for case in boundary_cases(row)), row["id"]
        if row["status"] == "rule":
            assert enforcing_rule(row) is not None, f"{row['id']} names no rule"
        else:
            assert enforcing_rule(row) is None, f"{row['id']}: only rule rows name a rule"
        if row["status"] in ("fixed", "design"):
            assert row.get("note"), f"{row['id']} says what changed or why"


@pytest.mark.parametrize("row", checked_rows(), ids=lambda r: r["id"])
def test_example_is_valid_before_the_field_is_changed(row: dict[str, Any]) -> None:
    data, tree = document(row, None)
    _node(tree, row["path"])
    report = validate(data)
    assert report.ok, report.codes()


@pytest.mark.parametrize("row", [r for r in checked_rows() if "type" in r], ids=lambda r: r["id"])
def test_field_has_the_type_the_table_names(row: dict[str, Any]) -> None:
    schema = xmlschema_schema(kind_of(row))
    component = schema.find(re.sub(r"\[[0-9]+\]", "", row["path"]), namespaces=NS)
    assert component is not None, row["path"]
    prefix, _, local = row["type"].partition(":")
    kind = component.type
    # an element with attributes and a simple value: the row names the value's type
    value = kind.content if not kind.is_simple() and kind.has_simple_content() else kind
    assert value.name == f"{{{NS[prefix]}}}{local}"


@pytest.mark.parametrize(
    "row", [r for r in checked_rows() if "enumeration" in r], ids=lambda r: r["id"]
)
def test_enumeration_is_the_whole_value_set(row: dict[str, Any]) -> None:
    schema = xmlschema_schema(kind_of(row))
    component = schema.find(re.sub(r"\[[0-9]+\]", "", row["path"]), namespaces=NS)
    assert component is not None
    assert sorted(component.type.enumeration) == sorted(row["enumeration"])


# ------------------------------------------------------------------ the boundaries
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_boundary_value(case: Case) -> None:
    row = ROWS[case.row]
    kind = kind_of(row)
    data, tree = document(row, case.value)
    report = validate(data)
    schema_issues = xsd_issues(report)
    rule = enforcing_rule(row)
    if rule is None and not case.inside:
        assert schema_issues, f"the XSD accepts {case.value!r}"
        target = _owner(tree, row["path"])
        located = [tree.xpath(issue.path, namespaces=NS) for issue in schema_issues]
        assert [target] in located, "an xsd issue is located at the field"
    else:
        assert schema_issues == [], f"the XSD refuses {case.value!r}"
    if rule is not None:
        raised = [i for i in report.issues if i.code == rule and i.severity is Severity.ERROR]
        assert bool(raised) is not case.inside, f"{rule} on {case.value!r}"
    # the second XSD engine and the model accept exactly what the XSD accepts
    schema_valid = not schema_issues
    assert xmlschema_schema(kind).is_valid(io.BytesIO(data)) is schema_valid
    assert model_accepts(kind, data) is schema_valid


def near_misses(value: str) -> list[str]:
    """Variants of a valid value: XML white space, signs, zeros, case, odd characters."""
    return [
        f" {value}",
        f"{value} ",
        f"\t{value}\n",
        f"+{value}",
        f"0{value}",
        value.upper(),
        value.lower(),
        "",
        f"{value}\U0001f600",
        f"{value}\u0301",
        value.replace("-", "\u2013"),
        value + value,
    ]


@pytest.mark.parametrize("row", checked_rows(), ids=lambda r: r["id"])
def test_model_agrees_with_the_xsd_on_near_misses(row: dict[str, Any]) -> None:
    # the second XSD engine is compared at the table's own values (test_boundary_value)
    kind = kind_of(row)
    schema = lxml_schema(kind)
    valid = next(case.value for case in boundary_cases(row) if case.inside)
    for value in near_misses(valid):
        data, tree = document(row, value)
        assert model_accepts(kind, data) is schema.validate(tree), repr(value)


def test_a_no_break_space_is_not_xml_white_space() -> None:
    row = ROWS["payer.address.uprn"]
    kind = kind_of(row)
    data, tree = document(row, "12\u00a0")
    assert not lxml_schema(kind).validate(tree)
    assert not model_accepts(kind, data)


# ------------------------------------------------------------------ whole classes
#: The NINO rules exactly as domain.md 5.5 gives them (HMRC NIM39110).
DOMAIN_NINO = re.compile(
    r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$"
)
#: The BS7666 v2 postcode of domain.md 5.5, in its Python form.
DOMAIN_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9R][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}$")


def _verdicts(row_id: str, values: list[str]) -> dict[str, tuple[bool, bool]]:
    """Return, per value, (the XSD accepts it, the model accepts it)."""
    row = ROWS[row_id]
    kind = kind_of(row)
    schema = lxml_schema(kind)
    verdicts = {}
    for value in values:
        data, tree = document(row, value)
        verdicts[value] = (schema.validate(tree), model_accepts(kind, data))
    return verdicts


def test_nino_prefixes_and_suffixes_follow_the_hmrc_rules() -> None:
    letters = string.ascii_uppercase
    values = [f"{a}{b}123456C" for a in letters for b in letters]
    values += [f"AB123456{s}" for s in letters]
    for value, verdict in _verdicts("claim.claimant.nino", values).items():
        expected = DOMAIN_NINO.match(value) is not None
        assert verdict == (expected, expected), value


def test_postcode_letters_follow_bs7666() -> None:
    letters = string.ascii_uppercase
    values = [f"AA9A 9{x}A" for x in letters] + [f"AA9A 9A{x}" for x in letters]
    values += [f"{x}9 9AA" for x in letters] + [f"A{x} 9AA" for x in letters + "0"]
    for value, verdict in _verdicts("payer.address.postcode", values).items():
        expected = DOMAIN_POSTCODE.match(value) is not None
        assert verdict == (expected, expected), value


@cache
def _constrained_types_in_use() -> frozenset[str]:
    """Named lgstandards simple types of every element and attribute the messages use."""
    found: set[str] = set()
    seen: set[int] = set()

    def simple(kind: Any) -> None:
        if kind.name and kind.name.startswith("{urn:lgstandards:"):
            found.add(kind.name)

    def visit(element: Any) -> None:
        kind = element.type
        if id(kind) in seen:
            return
        seen.add(id(kind))
        if kind.is_simple():
            simple(kind)
            return
        for attribute in kind.attributes.values():
            simple(attribute.type)
        if kind.has_simple_content():
            simple(kind.content)
            return
        for child in kind.content.iter_elements():
            if hasattr(child, "type"):
                visit(child)

    for namespace in AUDITED:
        schema = xmlschema_schema(namespace)
        for element in schema.elements.values():
            visit(element)
    return frozenset(found)


def test_every_constrained_type_of_the_messages_has_a_row() -> None:
    covered = set()
    for row in checked_rows():
        if "type" in row:
            prefix, _, local = row["type"].partition(":")
            covered.add(f"{{{NS[prefix]}}}{local}")
    used = _constrained_types_in_use()
    assert used, "the walk finds the types"
    missing = sorted(used - covered)
    assert missing == [], "add a row to domain_constraints.toml for each"


@pytest.mark.parametrize(
    "row", [r for r in rows() if r["status"] == "absent"], ids=lambda r: r["id"]
)
def test_fields_the_schemas_do_not_model_are_still_absent(row: dict[str, Any]) -> None:
    declared = set()
    for name in SCHEMA_FILES:
        tree = etree.parse(str(schemas_root() / name))
        declared.update(tree.xpath("//xs:element/@name", namespaces={"xs": XS}))
    assert declared.isdisjoint(row["elements"]), (
        f"{row['id']}: the schema now has {sorted(declared & set(row['elements']))}; "
        "give the row its example, path and constraint"
    )
