"""Rules, streaming totals and models read an element's whole value, and never fail on one.

Class 3: a value written in pieces (split by a comment or processing instruction, partly
in a CDATA section, a character written as a reference) is the same value to XSD and
Schematron, so it must be to every rule, to the streaming batch totals and to
``from_xml``. Class 4: no rule may fail internally (``xml.check-failed``) or raise on any
value, whatever its lexical form.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
from epay_batches import write_batch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

from lgstandards._resources import examples_root
from lgstandards.artefacts.catalogue import kind_for
from lgstandards.models import model_for_kind
from lgstandards.report import Issue
from lgstandards.rules import rules_for
from lgstandards.validation import validate

FAMILIES = ("epay", "ebenefits", "transactions")
BATCH_KINDS = frozenset({"epay.reconciliation-batch", "ebenefits.bulk-claims"})


def _generated_batch(**kwargs: Any) -> bytes:
    buffer = io.BytesIO()
    write_batch(buffer, 25, **kwargs)
    return buffer.getvalue()


@cache
def documents() -> dict[str, bytes]:
    """Every valid and invalid example of the families, and generated batches, by name."""
    found = {
        f"{path.parent.parent.name}/{path.parent.name}/{path.name}": path.read_bytes()
        for family in FAMILIES
        for path in sorted((examples_root() / family).glob("*/*.xml"))
    }
    found["generated/valid/batch.xml"] = _generated_batch()
    found["generated/invalid/batch.xml"] = _generated_batch(bad_every=7, wrong_totals=True)
    return found


def _kind(root: etree._Element) -> str:
    qname = etree.QName(root)
    kind = kind_for(qname.namespace, qname.localname)
    assert kind is not None, qname
    return kind


# --- writing a document with its values in pieces --------------------------------------

#: Private-use characters marking where the serialised text gets each construct.
_COMMENT, _PI, _CDATA_OPEN, _CDATA_CLOSE, _REF_OPEN, _REF_CLOSE = (
    chr(0xE000 + i) for i in range(6)
)
_REFERENCE = re.compile(f"{_REF_OPEN}(.){_REF_CLOSE}", re.DOTALL)
SPLITS = ("comment", "pi", "cdata", "reference")
#: Characters the serialiser escapes, so they cannot sit in a CDATA section or reference as
#: written.
_ESCAPED = frozenset("&<>\r")


def leaves(root: etree._Element) -> list[etree._Element]:
    """Return the simple elements with a value (no child node, some non-space text)."""
    return [e for e in root.iter(etree.Element) if not len(e) and e.text and e.text.strip()]


def split_text(text: str, kind: str, first: int, second: int) -> str:
    """Return ``text`` with markers for one split of ``kind`` at the given positions."""
    first, second = sorted((first % (len(text) + 1), second % (len(text) + 1)))
    if kind == "comment":
        return text[:first] + _COMMENT + text[first:]
    if kind == "pi":
        return text[:first] + _PI + text[first:]
    if kind == "cdata":
        piece = text[first:second]
        if _ESCAPED.isdisjoint(piece):
            return text[:first] + _CDATA_OPEN + piece + _CDATA_CLOSE + text[second:]
        return text[:first] + _COMMENT + text[first:]
    position = min(first, len(text) - 1)
    if text[position] in _ESCAPED:
        return text[:first] + _PI + text[first:]
    return text[:position] + _REF_OPEN + text[position] + _REF_CLOSE + text[position + 1 :]


def serialise(tree: etree._ElementTree) -> bytes:
    """Write a tree as UTF-8, turning the split markers into the constructs they stand for."""
    text = etree.tostring(tree, encoding="UTF-8", xml_declaration=True).decode("utf-8")
    text = text.replace(_COMMENT, "<!-- split -->").replace(_PI, "<?split here?>")
    text = text.replace(_CDATA_OPEN, "<![CDATA[").replace(_CDATA_CLOSE, "]]>")
    text = _REFERENCE.sub(lambda m: f"&#x{ord(m.group(1)):X};", text)
    return text.encode("utf-8")


def unsplit(name: str) -> tuple[etree._ElementTree, bytes]:
    """Return a document's tree and its serialisation with nothing split."""
    tree = etree.ElementTree(etree.fromstring(documents()[name]))
    return tree, serialise(tree)


def split_document(name: str, choices: list[tuple[int, str, int, int]]) -> bytes:
    """Return document ``name`` with the chosen values split (leaf index, kind, positions)."""
    tree, _ = unsplit(name)
    values = leaves(tree.getroot())
    for index, kind, first, second in choices:
        element = values[index % len(values)]
        assert element.text is not None
        if any(0xE000 <= ord(c) <= 0xE005 for c in element.text):
            continue  # already split
        element.text = split_text(element.text, kind, first, second)
    return serialise(tree)


# --- what must stay the same -----------------------------------------------------------


def _findings(issues: list[Issue]) -> list[tuple[object, ...]]:
    """Issues without their column (a split on a line moves what follows on it)."""
    return sorted((i.code, i.severity, i.line, i.path, i.message, i.message_cy) for i in issues)


def reports(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Return the findings of whole-document validation, and of streaming for a batch."""
    found = {"whole": _findings(validate(data, streaming=False).issues)}
    if _kind(etree.fromstring(data)) in BATCH_KINDS:
        found["streaming"] = _findings(validate(data, streaming=True).issues)
    return found


def loaded(data: bytes) -> object:
    """Return the model ``from_xml`` gives, or the errors it raises (type and place)."""
    model = model_for_kind(_kind(etree.fromstring(data)))
    try:
        return model.from_xml(data)
    except ValidationError as exc:
        return sorted((e["type"], e["loc"]) for e in exc.errors())


@cache
def expected(name: str) -> tuple[dict[str, list[tuple[object, ...]]], object]:
    _, data = unsplit(name)
    return reports(data), loaded(data)


split_choice = st.tuples(
    st.integers(0, 10_000), st.sampled_from(SPLITS), st.integers(0, 200), st.integers(0, 200)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(documents())),
    choices=st.lists(split_choice, min_size=1, max_size=4),
)
def test_split_values_give_the_same_report_and_model(
    name: str, choices: list[tuple[int, str, int, int]]
) -> None:
    data = split_document(name, choices)
    report, model = expected(name)
    assert reports(data) == report
    assert loaded(data) == model


@pytest.mark.parametrize("kind", SPLITS)
@pytest.mark.parametrize("name", sorted(documents()))
def test_every_value_of_every_document_split(name: str, kind: str) -> None:
    """Each document with every one of its values split in the same way, at its middle."""
    tree, _ = unsplit(name)
    for element in leaves(tree.getroot()):
        assert element.text is not None
        middle = len(element.text) // 2
        element.text = split_text(element.text, kind, middle, middle + 3)
    data = serialise(tree)
    report, model = expected(name)
    assert reports(data) == report
    assert loaded(data) == model


# --- the cases the issue names -----------------------------------------------------------

CARD = "4000 0000 0000 0002"


def _card_in_batch() -> bytes:
    """A generated batch whose first record's TransactionId is a card number."""
    return _generated_batch().replace(b"TX00000001", CARD.encode(), 1)


@pytest.mark.parametrize("kind", SPLITS)
@pytest.mark.parametrize("position", range(len(CARD) + 1))
def test_split_card_number_is_still_found(position: int, kind: str) -> None:
    request = documents()["epay/invalid/request-card-number.xml"].decode("utf-8")
    assert CARD in request
    for text, modes in ((request, (False,)), (_card_in_batch().decode("utf-8"), (False, True))):
        tree = etree.ElementTree(etree.fromstring(text.encode("utf-8")))
        holder = next(e for e in leaves(tree.getroot()) if CARD in (e.text or ""))
        assert holder.text is not None
        start = holder.text.index(CARD) + position
        holder.text = split_text(holder.text, kind, start, start + 5)
        variants = [serialise(tree)]
        if position == len(CARD):  # and the whole number written as references
            references = "".join(f"&#{ord(c)};" for c in CARD).encode()
            variants.append(text.encode("utf-8").replace(CARD.encode(), references))
        for data in variants:
            for streaming in modes:
                codes = validate(data, streaming=streaming).codes()
                assert "rule.EPAY-R008" in codes, (kind, position, streaming)


def _amounts_split(data: bytes, splitter: Callable[[str], str]) -> bytes:
    tree = etree.ElementTree(etree.fromstring(data))
    for element in tree.getroot().iter("{urn:lgstandards:epay:1}GrossAmount"):
        assert element.text is not None
        element.text = splitter(element.text)
    return serialise(tree)


@pytest.mark.parametrize("kind", SPLITS)
@pytest.mark.parametrize("wrong", [False, True])
def test_amounts_split_give_the_right_sums(kind: str, wrong: bool) -> None:
    """A comment (or other split) inside every GrossAmount changes no trailer finding."""
    data = _generated_batch(wrong_totals=wrong)
    expected_issues = reports(data)
    split = _amounts_split(data, lambda text: split_text(text, kind, 1, 3))
    found = reports(split)
    assert found == expected_issues
    codes = {finding[0] for mode in found.values() for finding in mode}
    assert ("rule.COM-R010" in codes) == wrong


# --- lexical oddities: no rule fails, nothing raises ------------------------------------

ODDITIES = (
    "NaN",
    "-INF",
    "INF",
    "sNaN",
    "1E3",
    "1e99999",
    "",
    "  ",
    "1" + "0" * 5000,
    "²",
    " 12 ",
    "+1.00",
    "-0",
    "\u0663",
    "1_000",
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "20240101",
)
#: A value that is a number, a date, a time or a code (not free text).
_FIELD = re.compile(r"\s*[-+]?[0-9A-Za-z][0-9A-Za-z.:+\-]*\s*")


def fields(root: etree._Element) -> list[etree._Element]:
    """Return the elements whose value is a number, date, timestamp or code."""
    return [e for e in leaves(root) if _FIELD.fullmatch(e.text or "")]


def _no_failure(data: bytes) -> None:
    kind = _kind(etree.fromstring(data))
    modes = (False, True) if kind in BATCH_KINDS else (False,)
    for streaming in modes:
        report = validate(data, streaming=streaming)
        failed = [i for i in report.issues if i.code == "xml.check-failed"]
        assert not failed, failed[0].message


def _with_values(name: str, values: dict[int, str]) -> bytes:
    tree, _ = unsplit(name)
    targets = fields(tree.getroot())
    for index, value in values.items():
        targets[index % len(targets)].text = value
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True)


@pytest.mark.parametrize("value", ODDITIES, ids=lambda v: repr(v[:12]))
@pytest.mark.parametrize("name", sorted(documents()))
def test_every_field_odd_at_once(name: str, value: str) -> None:
    tree, _ = unsplit(name)
    targets = fields(tree.getroot())
    assert targets
    _no_failure(_with_values(name, dict.fromkeys(range(len(targets)), value)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(documents())),
    values=st.dictionaries(st.integers(0, 10_000), st.sampled_from(ODDITIES), min_size=1),
)
def test_some_fields_odd(name: str, values: dict[int, str]) -> None:
    _no_failure(_with_values(name, values))


def _rule_runs(root: etree._Element) -> Iterator[str]:
    for rule in rules_for(_kind(root)):
        list(rule.run(root))
        yield rule.id


@pytest.mark.parametrize("name", sorted(documents()))
def test_each_field_odd_in_turn_for_the_python_rules(name: str) -> None:
    """Every rule on every document with each field, one at a time, given each oddity."""
    from lgstandards.rules.ebenefits import claims_register

    tree, _ = unsplit(name)
    root = tree.getroot()
    ran: set[str] = set()
    with claims_register(set()):
        for element in fields(root):
            original = element.text
            for value in ODDITIES:
                element.text = value
                ran.update(_rule_runs(root))  # raises if a rule fails
            element.text = original
    assert ran == {rule.id for rule in rules_for(_kind(root))}


def test_months_before_the_first_year_is_the_first_day() -> None:
    """BEN-R007's calendar arithmetic has an answer for any date, even in the year 1."""
    import datetime as dt

    from lgstandards.rules.ebenefits import months_before

    assert months_before(dt.date(1, 1, 20), 1) == dt.date.min
    assert months_before(dt.date(1, 3, 31), 1) == dt.date(1, 2, 28)
